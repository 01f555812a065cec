//! Placeholder: roster name matching.

use super::Scan;
use crate::Finding;
use crate::roster::Roster;

pub(crate) struct Names;

impl Names {
    pub fn new(_roster: &Roster) -> Names {
        Names
    }

    pub fn detect(&self, _scan: &Scan, _out: &mut Vec<Finding>) {}
}
