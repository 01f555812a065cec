//! Email addresses, written plainly (`zoe.khan@example.co.uk`) or spelled out to slip past a filter
//! (`zoe [at] example [dot] com`, `zoe at gmail dot com`).
//!
//! Plain addresses are found from each `@` outwards by hand rather than with a regex, because the
//! local part may hold letters of any script (`zoë@…`) and a regex would have to look behind. The
//! spelled-out forms need a regex, and it only runs when the text says "at" in brackets or "dot" as
//! a word.

use regex::Regex;

use super::text::{ends_token, starts_token};
use super::{Hit, kind};

pub(super) struct Emails {
    spelled: Regex,
}

impl Emails {
    pub(super) fn new() -> Result<Emails, String> {
        let at = r"(?:\s*[\[\(\{<]\s*at\s*[\]\)\}>]\s*|\s+at\s+)";
        let dot = r"(?:\s*[\[\(\{<]\s*dot\s*[\]\)\}>]\s*|\s+dot\s+|\.)";
        let spelled = Regex::new(&format!(
            r"(?i)(?-u:\b)[a-z0-9][a-z0-9._%+\-]*{at}[a-z0-9][a-z0-9\-]*(?:{dot}[a-z0-9][a-z0-9\-]*)*{dot}[a-z]{{2,24}}(?-u:\b)"
        ))
        .map_err(|e| e.to_string())?;
        Ok(Emails { spelled })
    }

    /// `spelled` says whether the text has "[at]" or " dot " for a spelled-out address.
    pub(super) fn find(&self, text: &str, spelled: bool, out: &mut Vec<Hit>) {
        for (at, _) in text.match_indices('@') {
            if let Some(span) = plain_at(text, at) {
                out.push(Hit::new(kind::EMAIL, span, 0.97, "email address"));
            }
        }
        if spelled {
            self.spelled_out(text, out);
        }
    }

    fn spelled_out(&self, text: &str, out: &mut Vec<Hit>) {
        for m in self.spelled.find_iter(text) {
            let lower = m.as_str().to_ascii_lowercase();
            let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
            let bracketed = ["[at]", "(at)", "{at}", "<at>"].iter().any(|b| compact.contains(b));
            // "meet at school.com" is no address: an unbracketed "at" needs "dot" spelled out too.
            if bracketed || lower.contains(" dot ") {
                out.push(Hit::new(kind::EMAIL, (m.start(), m.end()), 0.85, "email address spelled out"));
            }
        }
    }
}

fn is_local(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-' | '\'')
}

fn is_domain(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '-')
}

/// The address around the `@` at `at`, if there is one.
fn plain_at(text: &str, at: usize) -> Option<(usize, usize)> {
    let mut start = at;
    for c in text[..at].chars().rev() {
        if !is_local(c) {
            break;
        }
        start -= c.len_utf8();
    }
    // Dots and quotes may end a sentence before the address, not start one, and the `n` of an
    // escaped line break (`E-mail:\nzoe@…`) is not the address's.
    let escaped = text[..start].ends_with('\\') && text[start..at].starts_with(['n', 'r', 't']);
    if escaped {
        start += 1;
    }
    while text[start..at].starts_with(['.', '\'', '-']) {
        start += 1;
    }
    let mut end = at + 1;
    for c in text[at + 1..].chars() {
        if !is_domain(c) {
            break;
        }
        end += c.len_utf8();
    }
    while text[..end].ends_with(['.', '-']) {
        end -= 1;
    }
    let (local, domain) = (&text[start..at], &text[at + 1..end]);
    let valid = !local.is_empty() && !local.ends_with('.') && !local.contains("..") && valid_domain(domain);
    (valid && starts_token(text, start) && ends_token(text, end)).then_some((start, end))
}

/// At least two labels, none empty or edged with a hyphen, and a top-level domain of letters.
fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels[labels.len() - 1];
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
        && tld.chars().count() >= 2
        && tld.chars().all(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emails(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        Emails::new().unwrap().find(text, true, &mut out);
        out.iter().map(|h| &text[h.start..h.end]).collect()
    }

    #[test]
    fn plain_addresses() {
        assert_eq!(
            emails("You said your email is AuroraStromsnes@gustr.com. Is that right?"),
            ["AuroraStromsnes@gustr.com"]
        );
        assert_eq!(emails("mail zoë.o'brien+pta@school.sch.uk, thanks"), ["zoë.o'brien+pta@school.sch.uk"]);
        assert_eq!(emails("E-mail:\\nPrzemekKucharski@superrito.com\\n"), ["PrzemekKucharski@superrito.com"]);
        assert_eq!(emails("E-mail:\nzoe@example.com"), ["zoe@example.com"]);
        assert_eq!(emails("(j.smith@example.org)"), ["j.smith@example.org"]);
    }

    #[test]
    fn spelled_out_addresses() {
        assert_eq!(emails("write to zoe [at] example [dot] com now"), ["zoe [at] example [dot] com"]);
        assert_eq!(emails("zoe(at)example.co.uk"), ["zoe(at)example.co.uk"]);
        assert_eq!(emails("zoe at gmail dot com"), ["zoe at gmail dot com"]);
    }

    #[test]
    fn not_addresses() {
        for text in ["@darulmadinah thanks", "meet at school.com", "a@b", "x@y.c0m", "5 @ £3", "me@.com", "dot the i"]
        {
            assert!(emails(text).is_empty(), "{text}: {:?}", emails(text));
        }
    }
}
