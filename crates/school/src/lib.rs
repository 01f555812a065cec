//! The school as Gatehouse models it: who works there and in which role, the people (pupils, staff,
//! parents) and their consents, the official channels and who may use them, and the audit trail.
//!
//! Pure types and rules, no I/O: `store` persists them, `web` serves them. (DESIGN.md calls this crate
//! `core`; it is `school` because a crate named `core` would shadow Rust's own.)

pub mod access;
pub mod audit;
pub mod channel;
pub mod consent;
pub mod import;
pub mod people;
mod spelling;
pub mod suggestion;
pub mod user;

pub use spelling::UnknownValue;
