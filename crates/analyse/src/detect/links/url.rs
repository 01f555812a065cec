//! Finding links in text, with or without a scheme: `https://x.com/jo`, `www.mybiz.co.uk`,
//! `facebook.com/jo.smith`, `mybakes.shop`.
//!
//! A hand-written scanner rather than a regex: links are rare, so the work starts only where one may
//! be, and the token around that place is checked. The places come free from the shared lexicon,
//! which has already folded the text and found its words ([`anchors`]): `http`, `https` and `www`
//! start a link, and a top-level domain right after a dot (`com` in `facebook.com/jo`) ends a host
//! (`personal_link/scheme` and `personal_link/tld` in topics.tsv). A bare `word.word` is a link only
//! when its host ends in a known top-level domain, so "Mr.Smith", "e.g." and "10.30" are not links;
//! after a scheme or `www.` any host with a dot goes. Emails (`jo@gmail.com`) and handles
//! (`@jo.smith`) are not links.

use crate::Label;
use crate::detect::Scan;

/// A link found in the original text.
#[derive(Clone, Debug)]
pub(crate) struct Url<'t> {
    /// Byte span in the original text.
    pub start: usize,
    pub end: usize,
    /// Lower case, without `www.`/`m.`, with platform aliases unified (`twitter.com` → `x.com`).
    pub host: String,
    /// Everything after the host, without the query or fragment, without a trailing slash.
    pub path: &'t str,
}

impl Url<'_> {
    /// Host and path, lower case: the form in which links are compared.
    pub(crate) fn key(&self) -> String {
        format!("{}{}", self.host, self.path.to_lowercase())
    }
}

/// The lexicon kind of top-level-domain words (topics.tsv).
const TLD: &str = "tld";
/// The lexicon kind of words that start a link: `http`, `https`, `www`.
const SCHEME: &str = "scheme";

/// Where links may be in a scanned text: each `http`/`https`/`www` word and each dot before a
/// top-level-domain word. Empty for almost every text, and costs only a walk over its lexicon hits.
pub(crate) fn anchors(scan: &Scan) -> Vec<usize> {
    let bytes = scan.text.as_bytes();
    let mut anchors = Vec::new();
    for (hit, term) in scan.terms() {
        if term.label != Label::PersonalLink {
            continue;
        }
        if term.kind == SCHEME {
            anchors.push(hit.start);
        } else if term.kind == TLD && hit.start >= 2 && dot_in_word(bytes, hit.start - 1) {
            anchors.push(hit.start - 1);
        }
    }
    anchors
}

/// Top-level domains accepted without a scheme (the host's last label). Short on purpose: the ones
/// seen in UK school communities' comments, less those that are common words ("to", "in", "be");
/// anything else needs `http` or `www.`. Each is also a `personal_link/tld` trigger in topics.tsv.
pub(crate) const TLDS: [&str; 30] = [
    "com", "uk", "org", "net", "io", "me", "ly", "app", "ee", "gg", "tv", "info", "biz", "shop", "store", "online",
    "site", "website", "co", "ie", "eu", "page", "link", "gl", "social", "bio", "london", "blog", "gle", "news",
];

/// Whether a whole token is a link ("jo.smith.com", "www.x.co.uk"), looked at without triggers.
pub(crate) fn is_link(token: &str) -> bool {
    parse_token(token, 0, token.len()).is_some_and(|u| u.start == 0)
}

/// Whether `host` is `domain` or one of its subdomains.
pub(crate) fn host_is(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain).is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
}

/// Characters that end a link token besides whitespace.
fn stops(c: char) -> bool {
    c.is_whitespace() || matches!(c, '<' | '>' | '"' | '(' | ')' | '[' | ']' | '{' | '}' | '“' | '”')
}

/// Every link in `text`, starting from the `anchors` [`Triggers`] found.
pub(crate) fn find<'t>(text: &'t str, anchors: &[usize]) -> Vec<Url<'t>> {
    let mut urls = Vec::new();
    let mut done = 0;
    let mut anchors = anchors.to_vec();
    // A `://` is found after the dots before it when it is in the same token; order them.
    anchors.sort_unstable();
    for at in anchors {
        if at < done {
            continue;
        }
        let start = text[..at].rfind(stops).map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
        let end = text[at..].find(stops).map_or(text.len(), |i| at + i);
        done = end;
        if let Some(url) = parse_token(text, start, end) {
            urls.push(url);
        }
    }
    urls
}

fn dot_in_word(bytes: &[u8], i: usize) -> bool {
    i > 0 && bytes[i - 1].is_ascii_alphanumeric() && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
}

/// The link in the token `start..end`, if it is one.
fn parse_token(text: &str, start: usize, end: usize) -> Option<Url<'_>> {
    let token = &text[start..end];
    let lead = token.len() - token.trim_start_matches(['\'', '‘', ',', ':', ';', '*']).len();
    let raw = token[lead..].trim_end_matches(['.', ',', '!', '?', ':', ';', '\'', '’', '*']);
    // `jo@gmail.com` is an email address, `@jo.smith` a handle.
    if raw.is_empty() || raw.starts_with('@') {
        return None;
    }
    let scheme = ["http://", "https://"].iter().find(|s| raw.get(..s.len()).is_some_and(|h| h.eq_ignore_ascii_case(s)));
    let rest = &raw[scheme.map_or(0, |s| s.len())..];
    let host = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let explicit = scheme.is_some() || host.get(..4).is_some_and(|w| w.eq_ignore_ascii_case("www."));
    // Checked on the borrowed text first: most candidates ("Hello.How") fail here, before anything
    // is allocated.
    let labels_ok = host.split('.').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if !labels_ok || !host.contains('.') || !(explicit || known_tld(host)) {
        return None;
    }
    let (host, path) = split(raw)?;
    let start = start + lead;
    Some(Url { start, end: start + raw.len(), host, path })
}

fn known_tld(host: &str) -> bool {
    host.rsplit('.').next().is_some_and(|last| TLDS.iter().any(|t| t.eq_ignore_ascii_case(last)))
}

/// Split a link (or an account written as one in the settings) into its canonical host and path.
pub(crate) fn split(raw: &str) -> Option<(String, &str)> {
    let rest = raw.find("://").map_or(raw, |i| &raw[i + 3..]);
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = canonical_host(&rest[..host_end]);
    if host.is_empty() || !host.contains('.') {
        return None;
    }
    let path = &rest[host_end..];
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    Some((host, path.trim_end_matches('/')))
}

/// Lower case, without the port, the `www.`/mobile prefixes, with each platform under one name.
pub(crate) fn canonical_host(host: &str) -> String {
    let mut host = host.to_ascii_lowercase();
    if let Some(i) = host.find(':') {
        host.truncate(i);
    }
    let mut h = host.as_str();
    for prefix in ["www.", "m.", "mobile.", "web.", "en-gb.", "uk."] {
        if let Some(rest) = h.strip_prefix(prefix)
            && rest.contains('.')
        {
            h = rest;
        }
    }
    match h {
        "twitter.com" => "x.com",
        "fb.com" | "fb.me" => "facebook.com",
        "instagr.am" => "instagram.com",
        other => other,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every dot before a letter stands in for the lexicon's hits (tests of [`anchors`] itself go
    /// through the public API, which has the lexicon).
    fn links(text: &str) -> Vec<Url<'_>> {
        let anchors: Vec<usize> =
            text.match_indices('.').map(|(i, _)| i).filter(|&i| dot_in_word(text.as_bytes(), i)).collect();
        find(text, &anchors)
    }

    fn found(text: &str) -> Vec<String> {
        links(text).iter().map(|u| format!("{}{}", u.host, u.path)).collect()
    }

    #[test]
    fn finds_links_with_and_without_schemes() {
        assert_eq!(found("see https://www.Twitter.com/Jo_S/ now"), ["x.com/Jo_S"]);
        assert_eq!(found("check out www.mybiz.co.uk!"), ["mybiz.co.uk"]);
        assert_eq!(found("(facebook.com/jo.smith?ref=1)."), ["facebook.com/jo.smith"]);
        assert_eq!(found("order at mybakes.shop, thanks"), ["mybakes.shop"]);
        assert_eq!(found("two: a.co.uk and http://t.co/x1"), ["a.co.uk", "t.co/x1"]);
    }

    #[test]
    fn spans_cover_the_link_only() {
        let text = "Visit (www.mybiz.co.uk/shop), thanks.";
        let url = &links(text)[0];
        assert_eq!(&text[url.start..url.end], "www.mybiz.co.uk/shop");
    }

    #[test]
    fn ignores_what_only_looks_like_a_link() {
        assert!(found("Mr.Smith said e.g. 10.30 is fine").is_empty());
        assert!(found("email jo@gmail.com").is_empty());
        assert!(found("hi @jo.smith").is_empty());
        assert!(found("Thanks.See you").is_empty());
    }

    #[test]
    fn every_tld_and_scheme_is_a_lexicon_trigger() {
        let terms = crate::lexicon::parse_tsv("topics.tsv", include_str!("../../../lexicons/topics.tsv")).unwrap();
        for tld in TLDS {
            assert!(
                terms.iter().any(|t| t.label == Label::PersonalLink && t.kind == TLD && t.text == tld),
                "{tld} has no personal_link/tld row in topics.tsv"
            );
        }
        for scheme in ["http", "https", "www"] {
            assert!(terms.iter().any(|t| t.label == Label::PersonalLink && t.kind == SCHEME && t.text == scheme));
        }
    }
}
