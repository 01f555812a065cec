//! Links, handles and who a text is aimed at.
//!
//! - `personal_link` (P2.11): URLs and handles of personal profiles that are not the school's own
//!   channels. Kinds: `profile_url` (facebook.com/jo.smith, x.com/jo, tiktok.com/@jo,
//!   linkedin.com/in/jo…), `handle` (one offered for following: "follow me on insta @jo_k", "my
//!   insta is jo_k_123"; a bare `@mention` is a reply, reported as `addressing` only),
//!   `staff_account` (anything on the school's register of staff personal accounts, the clause's real
//!   target: scored highest).
//! - `addressing` (P2.8): text aimed at one person. Kinds: `mention` (`@Sarah_K thanks`) and
//!   `salutation` ("Dear Mrs Smith", "Hi Sarah,", "Mr Jones, you…").
//!
//! The school's own channels (`Settings::official_accounts`) are never findings, compared after
//! normalising scheme, `www.`, trailing slash and case. Every rule is gated: `@` by one `memchr`, links
//! by the words the shared lexicon has already found ([`url::anchors`]), salutations by its greeting
//! words, and staff handles written
//! without `@` or a link are searched only when the school has registered any and the text has a `_`.

mod accounts;
mod addressing;
pub(crate) mod social;
pub(crate) mod url;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::Scan;
use super::topics::context::{self, Role, WordSet};
use crate::analysis::{Detector, Finding};
use crate::lexicon::LexiconError;
use crate::{Error, Label, Settings};
pub(crate) use accounts::Accounts;

const STAFF: f32 = 0.95;
/// A staff handle written without `@` or link: as serious, slightly less certain.
const STAFF_BARE: f32 = 0.9;
/// An account offered for following ("follow me on insta @jo_k").
const SHARED: f32 = 0.75;
/// "Follow me on Instagram" without saying where: a weak signal.
const SHARED_UNNAMED: f32 = 0.45;
const MENTION: f32 = 0.75;
/// How many words may stand between a share phrase and the handle ("follow me on insta @jo").
const SHARE_WITHIN: usize = 3;
/// The lexicon kind of share phrases (topics.tsv, personal_link).
const SHARE: &str = "share";

pub(crate) struct Links {
    official: Accounts,
    staff: Accounts,
    /// Distinctive staff handles, searched for without `@` (None when the school registered none).
    staff_words: Option<AhoCorasick>,
    words: Words,
}

/// Context words the rules look up one at a time (`topics-context.tsv`).
pub(super) struct Words {
    /// After a greeting, no one's name: "Hi all", "Dear Parents".
    pub not_name: WordSet,
    /// After a name, a group: "Well done Eagles class".
    pub collective: WordSet,
    /// After `@`, the "at" sense: "@home".
    pub not_handle: WordSet,
    /// Between a share phrase and its handle: "my insta is …".
    pub skip: WordSet,
}

impl Links {
    pub fn new(settings: &Settings) -> Result<Links, Error> {
        let staff = Accounts::new(&settings.staff_personal_accounts);
        let words: Vec<&str> = staff.distinctive_handles().collect();
        let staff_words = if words.is_empty() {
            None
        } else {
            let automaton = AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(&words)
                .map_err(|e| LexiconError::Build(format!("staff handles: {e}")))?;
            Some(automaton)
        };
        Ok(Links {
            official: Accounts::new(&settings.official_accounts),
            staff,
            staff_words,
            words: Words {
                not_name: context::words(Label::Addressing, Role::NotName)?,
                collective: context::words(Label::Addressing, Role::Collective)?,
                not_handle: context::words(Label::Addressing, Role::NotHandle)?,
                skip: context::words(Label::PersonalLink, Role::Skip)?,
            },
        })
    }

    pub fn detect(&self, scan: &Scan, out: &mut Vec<Finding>) {
        let first = out.len();
        let text = scan.text;
        if memchr::memchr(b'@', text.as_bytes()).is_some() {
            self.mentions(scan, out);
        }
        let anchors = url::anchors(scan);
        if !anchors.is_empty() {
            self.links(text, &anchors, out);
        }
        // Bare staff handles have a `_` (see `Accounts::distinctive_handles`): without one, there is
        // nothing to search for.
        if let Some(words) = &self.staff_words
            && text.as_bytes().contains(&b'_')
        {
            self.bare_staff_handles(text, words, out);
        }
        self.shares(scan, out);
        addressing::salutations(scan, &self.words, out);
        merge_overlaps(out, first);
    }

    /// `@handles`: a mention of a person, and a link to their account.
    fn mentions(&self, scan: &Scan, out: &mut Vec<Finding>) {
        let text = scan.text;
        for (at, _) in text.match_indices('@') {
            let Some(handle) = handle_at(text, at) else { continue };
            // "@home", "see you @ the gate": an @ that means "at".
            if self.words.not_handle.contains(handle) || self.official.has_handle(handle) {
                continue;
            }
            let span = (at, at + 1 + handle.len());
            let words = &text[span.0..span.1];
            if self.staff.has_handle(handle) {
                out.push(staff(span, format!("'{words}' is on the register of staff personal accounts")));
            } else if let Some(phrase) = self.shared_before(scan, at) {
                let why = format!("personal_link/handle: '{words}' — a personal account offered ('{phrase}')");
                out.push(Finding::new(Label::PersonalLink, "handle", SHARED, span, Detector::Rule).with_evidence(why));
                continue;
            }
            // Otherwise an @mention is a reply to someone, which `addressing` reports; it offers no
            // account to follow, so it is no personal link.
            // "RT @jo:" credits a post; it does not speak to anyone.
            let before = text[..at].trim_end().as_bytes();
            let retweet = before.len() >= 2
                && before[before.len() - 2..].eq_ignore_ascii_case(b"rt")
                && (before.len() == 2 || !before[before.len() - 3].is_ascii_alphanumeric());
            if !retweet {
                let why = format!("addressing/mention: '{words}' — an @mention aims the text at one person");
                out.push(Finding::new(Label::Addressing, "mention", MENTION, span, Detector::Rule).with_evidence(why));
            }
        }
    }

    /// The share phrase ("follow me on") shortly before `at`, if any.
    fn shared_before<'t>(&self, scan: &Scan<'t>, at: usize) -> Option<&'t str> {
        scan.terms()
            .filter(|(h, t)| t.label == Label::PersonalLink && t.kind == SHARE && h.end <= at)
            .find(|(h, _)| {
                let gap = &scan.text[h.end..at];
                !gap.contains(['.', '!', '?', '\n']) && gap.split_whitespace().count() <= SHARE_WITHIN
            })
            .map(|(h, _)| &scan.text[h.start..h.end])
    }

    /// Links to personal profiles, and to anything registered as a staff account.
    fn links(&self, text: &str, anchors: &[usize], out: &mut Vec<Finding>) {
        for url in url::find(text, anchors) {
            let span = (url.start, url.end);
            let words = &text[url.start..url.end];
            if self.official.has_url(&url) {
                continue;
            }
            let profile = social::profile(&url.host, url.path);
            if self.staff.has_url(&url) || profile.as_ref().is_some_and(|p| self.staff.has_profile(p)) {
                out.push(staff(span, format!("'{words}' is on the register of staff personal accounts")));
                continue;
            }
            let Some(profile) = profile else { continue };
            if self.official.has_profile(&profile) {
                continue;
            }
            let why = format!(
                "personal_link/profile_url: '{words}' — {} that is not one of the school's channels",
                profile.what
            );
            out.push(
                Finding::new(Label::PersonalLink, "profile_url", profile.score, span, Detector::Rule)
                    .with_evidence(why),
            );
        }
    }

    /// Staff handles written without `@` or a link: "follow mrs_k_teaches".
    fn bare_staff_handles(&self, text: &str, words: &AhoCorasick, out: &mut Vec<Finding>) {
        let bytes = text.as_bytes();
        let inside = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        for m in words.find_iter(text) {
            let before = m.start().checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(m.end()).copied();
            // With `@` or inside a link, the other rules have it.
            if before.is_some_and(|b| inside(b) || b == b'@' || b == b'/' || b == b'.') || after.is_some_and(inside) {
                continue;
            }
            let words = &text[m.start()..m.end()];
            out.push(Finding {
                score: STAFF_BARE,
                ..staff((m.start(), m.end()), format!("'{words}' is a registered staff personal account"))
            });
        }
    }

    /// "my insta is jo_k_123": a handle offered without `@`.
    fn shares(&self, scan: &Scan, out: &mut Vec<Finding>) {
        let text = scan.text;
        for (hit, term) in scan.terms() {
            if term.label != Label::PersonalLink || term.kind != SHARE {
                continue;
            }
            let phrase = &text[hit.start..hit.end];
            match self.handle_after(text, hit.end) {
                // An `@handle` or a link: the mention and link rules report it.
                Some(After::Elsewhere) => {}
                Some(After::Handle(end)) => {
                    let span = (hit.start, end);
                    let why = format!("personal_link/handle: '{}' — a personal account offered", &text[span.0..span.1]);
                    out.push(
                        Finding::new(Label::PersonalLink, "handle", SHARED, span, Detector::Rule).with_evidence(why),
                    );
                }
                None => {
                    let why = format!("personal_link/handle: '{phrase}' — offers a personal account without naming it");
                    let span = (hit.start, hit.end);
                    out.push(
                        Finding::new(Label::PersonalLink, "handle", SHARED_UNNAMED, span, Detector::Rule)
                            .with_evidence(why),
                    );
                }
            }
        }
    }

    /// What follows a share phrase: a handle, something another rule reports, or nothing.
    fn handle_after(&self, text: &str, from: usize) -> Option<After> {
        let mut pos = from;
        for _ in 0..=SHARE_WITHIN {
            let rest = &text[pos..];
            let start = pos + (rest.len() - rest.trim_start_matches([' ', '\t', ':', ',', '-', '–']).len());
            let len = text[start..].find(char::is_whitespace).unwrap_or(text.len() - start);
            if len == 0 {
                return None;
            }
            let token = text[start..start + len].trim_end_matches(['.', ',', '!', '?', ':', ';', ')']);
            if token.starts_with('@') || token.contains('/') || url::is_link(token) {
                return Some(After::Elsewhere);
            }
            if looks_like_handle(token) {
                return Some(After::Handle(start + token.len()));
            }
            if !self.words.skip.contains(token) {
                return None;
            }
            pos = start + len;
        }
        None
    }
}

enum After {
    Handle(usize),
    Elsewhere,
}

/// The handle after an `@` at `at`, unless the `@` belongs to an email address or a link.
fn handle_at(text: &str, at: usize) -> Option<&str> {
    let prev = text[..at].chars().next_back();
    if prev.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '/' | '@')) {
        return None;
    }
    let rest = &text[at + 1..];
    let len = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.').count().min(30);
    let handle = rest[..len].trim_end_matches('.');
    // Handles start with a letter or `_`; "@3pm" is a time.
    handle.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_').then_some(handle)
}

/// A handle written without `@`: 3–30 handle characters with a `_`, `.` or digit inside, which an
/// ordinary word does not have.
fn looks_like_handle(token: &str) -> bool {
    (3..=30).contains(&token.len())
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        && token.bytes().any(|b| b == b'_' || b == b'.' || b.is_ascii_digit())
        && token.bytes().any(|b| b.is_ascii_alphabetic())
}

fn staff(span: (usize, usize), why: String) -> Finding {
    Finding::new(Label::PersonalLink, "staff_account", STAFF, span, Detector::Rule)
        .with_evidence(format!("personal_link/staff_account: {why}"))
}

/// Overlapping findings of one label and kind from these rules become the strongest of them.
fn merge_overlaps(out: &mut Vec<Finding>, first: usize) {
    if out.len() - first < 2 {
        return;
    }
    let mut mine = out.split_off(first);
    mine.sort_by(|a, b| (a.label, &a.kind, a.start).cmp(&(b.label, &b.kind, b.start)));
    for f in mine {
        match out[first..].last_mut() {
            Some(last) if last.label == f.label && last.kind == f.kind && f.start < last.end => {
                let (start, end) = (last.start.min(f.start), last.end.max(f.end));
                if f.score > last.score {
                    *last = f;
                }
                last.start = start;
                last.end = end;
            }
            _ => out.push(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_and_what_is_not_one() {
        assert_eq!(handle_at("hi @Jo_K.", 3), Some("Jo_K"));
        assert_eq!(handle_at("jo@mail.com", 2), None);
        assert_eq!(handle_at("at @3pm", 3), None);
        assert!(looks_like_handle("jo_k_123"));
        assert!(!looks_like_handle("private"));
        assert!(!looks_like_handle("2024"));
    }
}
