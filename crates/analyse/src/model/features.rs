//! What the model sees of a text: hashed word unigrams and bigrams of the folded text.
//!
//! The features are computed on the fly from the fold the lexicon scan already made, with no
//! allocation: each word is hashed once and its unigram and its bigram with the word before are
//! handed to a callback, which the model turns into a bucket of its weight table (feature hashing).
//!
//! Before hashing, the artefacts of where a text came from are taken out, so the model learns the
//! words people wrote rather than the platform they wrote on: @mentions, `RT` markers and HTML
//! entities (`&amp;`, `&#128514;`) are skipped, a URL becomes one `<url>` token, and numbers become
//! their shape (`<num5>` for a short code, `<num:09>` for a premium-rate number, `<money>` after a
//! currency sign). Words the caller masks are left out: the abuse rules mask the names of identity
//! groups, so the model cannot learn that naming a group is abusive (in davidson they are named
//! mostly in abusive tweets), and homonyms they showed to be innocent ("faggots and peas").

use crate::fold::Folded;

/// Changes the version written into weights files: bump it whenever the features change, so an old
/// weights file is refused rather than silently misread.
pub const VERSION: u32 = 2;

/// A folded byte range the model must not read: every word that starts inside it is left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Masked {
    pub start: usize,
    pub end: usize,
}

/// A text as the model reads it: the original (for mentions, URLs and currency signs, which folding
/// drops), its fold and the caller's masks, sorted by start.
#[derive(Clone, Copy)]
pub struct Doc<'a> {
    pub text: &'a str,
    pub folded: &'a Folded,
    pub masks: &'a [Masked],
}

/// One word as a feature token: its hash and where it is, or which special token it became.
#[derive(Clone, Copy, Debug)]
pub struct Token {
    pub hash: u64,
    /// Folded byte span of the word.
    pub start: usize,
    pub end: usize,
    /// For special tokens, their display name.
    pub special: Option<&'static str>,
}

/// A feature: a unigram (`first` only) or a bigram.
#[derive(Clone, Copy, Debug)]
pub struct Feature {
    pub hash: u64,
    pub first: Token,
    pub second: Option<Token>,
}

impl Feature {
    /// The n-gram as words, for explanations.
    pub fn display(&self, folded: &str) -> String {
        let word = |t: &Token| t.special.map_or_else(|| folded[t.start..t.end].to_string(), str::to_string);
        match &self.second {
            None => word(&self.first),
            Some(second) => format!("{} {}", word(&self.first), word(second)),
        }
    }
}

/// Call `f` with every feature of `doc`, in text order: each word's unigram, then its bigram with
/// the word before it.
#[inline]
pub fn for_each(doc: &Doc, mut f: impl FnMut(&Feature)) {
    let folded = doc.folded.as_str().as_bytes();
    let mut prev: Option<Token> = None;
    let mut source = Source::default();
    let mut mask_at = 0;
    let mut i = 0;
    while i < folded.len() {
        // Find the word's end and hash it in the same pass.
        let start = i;
        let mut hash = FNV_OFFSET;
        while i < folded.len() && folded[i] != b' ' {
            hash = (hash ^ u64::from(folded[i])).wrapping_mul(FNV_PRIME);
            i += 1;
        }
        let end = i;
        i += 1;
        if start == end {
            continue;
        }
        while mask_at < doc.masks.len() && doc.masks[mask_at].end <= start {
            mask_at += 1;
        }
        if doc.masks[mask_at..].iter().take_while(|m| m.start <= start).any(|m| start < m.end) {
            continue;
        }
        let Some(token) = source.token(doc, &folded[start..end], hash, (start, end)) else {
            continue;
        };
        f(&Feature { hash: mix(token.hash ^ UNIGRAM), first: token, second: None });
        if let Some(p) = prev {
            f(&Feature { hash: mix(p.hash.rotate_left(29) ^ token.hash ^ BIGRAM), first: p, second: Some(token) });
        }
        prev = Some(token);
    }
}

const UNIGRAM: u64 = 0x5851_f42d_4c95_7f2d;
const BIGRAM: u64 = 0x1405_7b7e_f767_814f;
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// The whitespace-delimited token of the original text that the current word comes from: a
/// mention, a URL or plain text. Words arrive in order, so it is found once per token.
#[derive(Default)]
struct Source {
    start: usize,
    end: usize,
    kind: SourceKind,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum SourceKind {
    #[default]
    Plain,
    Mention,
    /// A URL, and whether its one `<url>` token has been given.
    Url(bool),
}

impl Source {
    /// The token a folded word becomes, or `None` if it is skipped.
    #[inline]
    fn token(&mut self, doc: &Doc, word: &[u8], hash: u64, (start, end): (usize, usize)) -> Option<Token> {
        let special = |name: &'static str| Some(Token { hash: fnv(name.as_bytes()), start, end, special: Some(name) });
        let text = doc.text.as_bytes();
        let (os, oe) = doc.folded.original_span(start, end);
        if os >= self.end {
            self.enter(text, os);
        }
        match self.kind {
            SourceKind::Mention => return None,
            SourceKind::Url(true) => return None,
            SourceKind::Url(false) => {
                // A URL folds into several words; only its first becomes the token.
                self.kind = SourceKind::Url(true);
                return special("<url>");
            }
            SourceKind::Plain => {}
        }
        if is_entity(text, os, oe) || (word == b"rt" && is_rt(text, os, oe)) {
            return None;
        }
        if word.iter().all(u8::is_ascii_digit) {
            return number_shape(text, os, word).and_then(special);
        }
        Some(Token { hash, start, end, special: None })
    }

    /// Move to the token containing original byte `at`.
    fn enter(&mut self, text: &[u8], at: usize) {
        let from = self.end.min(at);
        self.start = text[from..at].iter().rposition(u8::is_ascii_whitespace).map_or(from, |p| from + p + 1);
        self.end = text[at..].iter().position(u8::is_ascii_whitespace).map_or(text.len(), |p| at + p);
        self.kind = match text[self.start] {
            b'@' => SourceKind::Mention,
            _ if is_url_at(text, self.start) => SourceKind::Url(false),
            _ => SourceKind::Plain,
        };
    }
}

fn is_url_at(text: &[u8], at: usize) -> bool {
    let rest = &text[at..];
    let starts = |p: &[u8]| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
    starts(b"http://") || starts(b"https://") || starts(b"www.")
}

/// `&amp;`, `&#128514;`: HTML entities that scraped texts keep.
fn is_entity(text: &[u8], os: usize, oe: usize) -> bool {
    let before = |n: usize| os >= n && text[os - n] == b'&';
    let closed = oe < text.len() && text[oe] == b';';
    closed && (before(1) || (before(2) && text[os - 1] == b'#'))
}

/// `RT` as the retweet marker: the whole token, upper case or followed by a colon.
fn is_rt(text: &[u8], os: usize, oe: usize) -> bool {
    let whole_token = (os == 0 || text[os - 1].is_ascii_whitespace())
        && (oe == text.len() || text[oe].is_ascii_whitespace() || text[oe] == b':');
    whole_token && (&text[os..oe] == b"RT" || text.get(oe) == Some(&b':'))
}

/// Numbers by shape: the digits themselves rarely generalise, their form does. Short numbers (a
/// class, a time, a count) say nothing either way and are left out, so the model cannot learn that
/// any number is spam.
fn number_shape(text: &[u8], os: usize, digits: &[u8]) -> Option<&'static str> {
    let before = &text[..os];
    if before.ends_with("£".as_bytes()) || before.ends_with(b"$") || before.ends_with("€".as_bytes()) {
        return Some("<money>");
    }
    Some(match (digits.len(), digits.get(..2)) {
        (10..=11, Some(b"09")) => "<num:09>",
        (10..=11, Some(b"08")) => "<num:08>",
        (10..=11, Some(b"07")) => "<num:07>",
        (10..=13, _) => "<num:long>",
        (5, _) => "<num5>",
        (6, _) => "<num6>",
        (4, _) => "<num4>",
        (1..=3, _) => return None,
        _ => "<num:other>",
    })
}

/// FNV-1a: tiny and stable across platforms and Rust versions, so weights files stay valid.
#[inline]
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |h, b| (h ^ u64::from(*b)).wrapping_mul(FNV_PRIME))
}

/// A finaliser (from SplitMix64) so that the top bits, which pick the bucket, depend on every bit.
#[inline]
fn mix(mut h: u64) -> u64 {
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::{Runs, fold};

    fn grams(text: &str, masks: &[Masked]) -> Vec<String> {
        let folded = fold(text, Runs::KeepDouble);
        let doc = Doc { text, folded: &folded, masks };
        let mut out = Vec::new();
        for_each(&doc, |f| out.push(f.display(folded.as_str())));
        out
    }

    #[test]
    fn unigrams_and_bigrams_in_order() {
        assert_eq!(grams("You are GREAT", &[]), ["you", "are", "you are", "great", "are great"]);
    }

    #[test]
    fn platform_artefacts_are_left_out() {
        let g = grams("RT @some_user: hi &amp; bye &#128514; http://t.co/xyz", &[]);
        assert_eq!(g, ["hi", "bye", "hi bye", "<url>", "bye <url>"]);
    }

    #[test]
    fn numbers_become_shapes() {
        let g = grams("call 09061701461 or text WIN to 87121 for £900", &[]);
        assert!(g.contains(&"<num:09>".to_string()), "{g:?}");
        assert!(g.contains(&"<num5>".to_string()), "{g:?}");
        assert!(g.contains(&"<money>".to_string()), "{g:?}");
        assert!(!g.iter().any(|w| w.contains("87121")), "{g:?}");
    }

    #[test]
    fn masked_words_are_left_out() {
        let g = grams("muslims and peas", &[Masked { start: 0, end: 7 }, Masked { start: 12, end: 16 }]);
        assert_eq!(g, ["and"]);
    }
}
