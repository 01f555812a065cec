//! One module per subcommand: parse what the user typed, call the libraries, report.

pub mod analyse;
pub mod bench;
pub mod check_post;
pub mod eval;
pub mod policy;
pub mod train;
