pub mod dkimpy;
pub mod dns;
