pub mod beheer;
pub mod layout;
pub mod login;
pub mod relations;
pub mod simple;
