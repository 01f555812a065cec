//! One module per subcommand: parse what the user typed, call the libraries, report.

pub mod analyse;
pub mod audit;
pub mod bench;
pub mod check_post;
pub mod demo;
pub mod eval;
pub mod import;
pub mod policy;
pub mod serve;
pub mod train;
