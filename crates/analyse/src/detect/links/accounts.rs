//! Lists of accounts from the settings: the school's own channels, and staff members' personal
//! accounts (P2.11).
//!
//! Schools write them however they have them: `@darulmadinah`, `x.com/darulmadinah`,
//! `https://www.facebook.com/DarUlMadinahSchool/`, `darulmadinah.org.uk`. Each entry is normalised
//! once (scheme, `www.`, trailing slash and case dropped, `twitter.com` read as `x.com`); a profile link
//! also registers its account name as a handle, because a school is `@darulmadinah` on every platform
//! it uses.

use super::social::{Profile, profile};
use super::url::{Url, split};

#[derive(Debug, Default)]
pub(crate) struct Accounts {
    /// Account names, lower case, without `@`. A list, not a set: schools have a handful, and
    /// comparing in place avoids lower-casing every handle in every text.
    handles: Vec<String>,
    /// Links that are not profiles (a website, a blog): host and path, lower case.
    prefixes: Vec<String>,
}

impl Accounts {
    pub(crate) fn new(entries: &[String]) -> Accounts {
        let mut accounts = Accounts::default();
        for entry in entries {
            let entry = entry.trim();
            if let Some(handle) = entry.strip_prefix('@') {
                accounts.add_handle(handle);
            } else if entry.contains(['.', '/']) {
                match split(entry) {
                    Some((host, path)) => match profile(&host, path) {
                        Some(p) if !p.user.is_empty() => accounts.add_handle(p.user),
                        _ => accounts.prefixes.push(format!("{host}{}", path.to_lowercase())),
                    },
                    None => accounts.add_handle(entry),
                }
            } else {
                accounts.add_handle(entry);
            }
        }
        accounts
    }

    fn add_handle(&mut self, handle: &str) {
        let handle = handle.trim_start_matches('@').trim().to_lowercase();
        if !handle.is_empty() && !self.handles.contains(&handle) {
            self.handles.push(handle);
        }
    }

    /// Whether this `@handle` (without the `@`) is on the list.
    pub(crate) fn has_handle(&self, handle: &str) -> bool {
        self.handles.iter().any(|h| h.eq_ignore_ascii_case(handle))
    }

    pub(crate) fn has_profile(&self, profile: &Profile) -> bool {
        !profile.user.is_empty() && self.has_handle(profile.user)
    }

    /// Whether the link is on the list or inside a listed one (`school.org.uk/news` under
    /// `school.org.uk`).
    pub(crate) fn has_url(&self, url: &Url) -> bool {
        if self.prefixes.is_empty() {
            return false;
        }
        // Compared in place, host then path, without building the link's key.
        self.prefixes.iter().any(|p| {
            let Some(path) = p.strip_prefix(url.host.as_str()) else { return false };
            let link = url.path.as_bytes();
            link.len() >= path.len()
                && link[..path.len()].eq_ignore_ascii_case(path.as_bytes())
                && (link.len() == path.len() || link[path.len()] == b'/')
        })
    }

    /// The handles worth looking for without an `@` or a link: those with a `_`, which no ordinary
    /// word has (a staff member called `sarah` is the roster's business, not this list's; and
    /// `sarah.khan.77` written bare reads as a sentence break as often as a handle).
    pub(crate) fn distinctive_handles(&self) -> impl Iterator<Item = &str> {
        self.handles.iter().filter(|h| h.len() >= 4 && h.contains('_')).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::links::url::find;

    #[test]
    fn entries_are_normalised() {
        let a = Accounts::new(&[
            "@DarUlMadinah".into(),
            "https://www.Twitter.com/DUM_School/".into(),
            "darulmadinah.org.uk".into(),
        ]);
        assert!(a.has_handle("darulmadinah"));
        assert!(a.has_handle("dum_school"), "a profile link registers its handle");
        let text = "x.com/dum_school and https://darulmadinah.org.uk/news/ and darulmadinah.org.ukx.com";
        let dots: Vec<usize> = text.match_indices('.').map(|(i, _)| i).collect();
        let urls = find(text, &dots);
        assert!(a.has_url(&urls[1]));
        assert!(!a.has_url(&urls[0]), "profiles are compared by handle");
    }
}
