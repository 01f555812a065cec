//! Placeholder: built by its owner.

use super::Scan;
use crate::{Error, Finding, Settings};

pub(crate) struct Abuse;

impl Abuse {
    pub fn new(_settings: &Settings) -> Result<Abuse, Error> {
        Ok(Abuse)
    }

    pub fn detect(&self, _scan: &Scan, _out: &mut Vec<Finding>) {}
}
