pub mod beheer;
pub mod layout;
pub mod login;
pub mod mail;
pub mod relations;
pub mod simple;
