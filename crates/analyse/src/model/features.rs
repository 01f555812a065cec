//! What the model sees of a text: hashed word unigrams and bigrams of the folded text.
//!
//! The features are computed on the fly from the fold the lexicon scan already made, with no
//! allocation: each word's hash is the one folding already took ([`crate::fold::word_hash`]), and
//! its unigram and its bigram with the word before are handed to a callback, which the model turns
//! into a bucket of its weight table (feature hashing).
//!
//! Before hashing, the artefacts of where a text came from are taken out, so the model learns the
//! words people wrote rather than the platform they wrote on: @mentions, `RT` markers and HTML
//! entities (`&amp;`, `&#128514;`) are skipped, a URL becomes one `<url>` token, and numbers become
//! their shape (`<num5>` for a short code, `<num:09>` for a premium-rate number, `<money>` after a
//! currency sign). Words the caller masks are left out: the abuse rules mask the names of identity
//! groups, so the model cannot learn that naming a group is abusive (in davidson they are named
//! mostly in abusive tweets), and homonyms they showed to be innocent ("faggots and peas").

use crate::fold::{Folded, word_hash};

/// Changes the version written into weights files: bump it whenever the features change, so an old
/// weights file is refused rather than silently misread.
pub const VERSION: u32 = 5;

/// A folded byte range the model must not read: every word that starts inside it is left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Masked {
    pub start: usize,
    pub end: usize,
}

/// A text as the model reads it: the original and its fold (for explanations), its [`tokens`] and
/// the caller's masks, sorted by start.
#[derive(Clone, Copy)]
pub struct Doc<'a> {
    pub text: &'a str,
    pub folded: &'a Folded,
    pub tokens: &'a [Token],
    pub masks: &'a [Masked],
}

/// One word as a feature token: its hash and where it is, or which special token it became.
#[derive(Clone, Copy, Debug)]
pub struct Token {
    pub hash: u64,
    /// Folded byte span of the word, in 32 bits as fold's words keep theirs: tokens are copied
    /// into every feature, and a smaller one is written and read faster.
    pub start: u32,
    pub end: u32,
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
        let word = |t: &Token| t.special.unwrap_or(&folded[t.start as usize..t.end as usize]);
        let first = word(&self.first);
        let Some(second) = &self.second else { return first.to_string() };
        let second = word(second);
        let mut out = String::with_capacity(first.len() + 1 + second.len());
        for part in [first, " ", second] {
            out.push_str(part);
        }
        out
    }
}

/// The words of a text as the model reads them, platform artefacts left out (see the module
/// documentation). Computed once per text and shared by every model and mask.
pub fn tokens(text: &str, folded: &Folded) -> Vec<Token> {
    let bytes = folded.as_str().as_bytes();
    let mut source = Source::new(text, folded);
    let mut out = Vec::with_capacity(folded.words().len());
    for (k, w) in folded.words().iter().enumerate() {
        out.extend(source.token(text, (folded, k), &bytes[w.start as usize..w.end as usize], w.hash, (w.start, w.end)));
    }
    out
}

/// Call `f` with every feature of `doc`, in text order: each unmasked token's unigram, then its
/// bigram with the unmasked token before it.
#[inline]
pub fn for_each(doc: &Doc, mut f: impl FnMut(&Feature)) {
    let mut prev: Option<Token> = None;
    let mut mask_at = 0;
    for &token in doc.tokens {
        let start = token.start as usize;
        while mask_at < doc.masks.len() && doc.masks[mask_at].end <= start {
            mask_at += 1;
        }
        if doc.masks[mask_at..].iter().take_while(|m| m.start <= start).any(|m| start < m.end) {
            continue;
        }
        f(&Feature { hash: mix(token.hash ^ UNIGRAM), first: token, second: None });
        if let Some(p) = prev {
            f(&Feature { hash: mix(p.hash.rotate_left(29) ^ token.hash ^ BIGRAM), first: p, second: Some(token) });
        }
        prev = Some(token);
    }
}

const UNIGRAM: u64 = 0x5851_f42d_4c95_7f2d;
const BIGRAM: u64 = 0x1405_7b7e_f767_814f;

/// The parts of the original text a platform put there: whitespace-delimited tokens that are
/// mentions (`@name…`) or web addresses (`http://…`, `www.…`), found in one pass over the text
/// before the words are read, so that a text without any (the common case) costs nothing more.
struct Source {
    /// Original byte ranges, in order, and whether each is a URL (else a mention).
    spans: Vec<(usize, usize, bool)>,
    /// The next span that can still contain a word.
    at: usize,
    /// The URL span whose `<url>` token has been given.
    url_given: Option<usize>,
    /// Whether the text may hold an HTML entity (`&amp;`).
    ampersand: bool,
}

impl Source {
    fn new(text: &str, folded: &Folded) -> Source {
        let b = text.as_bytes();
        let mut spans = Vec::new();
        // A token that starts "www." leaves the word WWW in the fold, and a shortened run of letters
        // (which most texts have none of): looking there is cheaper than at every full stop.
        let www = || {
            folded.had_long_run()
                && folded.words().iter().any(|w| &folded.as_str().as_bytes()[w.start as usize..w.end as usize] == WWW)
        };
        if memchr::memchr2(b'@', b'/', b).is_some() || www() {
            let mut i = 0;
            while i < b.len() {
                if b[i].is_ascii_whitespace() {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                match b[start] {
                    b'@' => spans.push((start, i, false)),
                    b'h' | b'H' | b'w' | b'W' if is_url_at(b, start) => spans.push((start, i, true)),
                    _ => {}
                }
            }
        }
        Source { spans, at: 0, url_given: None, ampersand: memchr::memchr(b'&', b).is_some() }
    }

    /// The token a folded word becomes, or `None` if it is skipped.
    #[inline]
    fn token(
        &mut self,
        text: &str,
        (folded, k): (&Folded, usize),
        word: &[u8],
        hash: u64,
        (start, end): (u32, u32),
    ) -> Option<Token> {
        let special =
            |name: &'static str| Some(Token { hash: word_hash(name.as_bytes()), start, end, special: Some(name) });
        let digits = word[0].is_ascii_digit() && word.iter().all(u8::is_ascii_digit);
        if self.spans.is_empty() && !self.ampersand && !digits && word != b"rt" {
            return Some(Token { hash, start, end, special: None });
        }
        let text = text.as_bytes();
        let (os, oe) = folded.word_origin(k);
        while self.at < self.spans.len() && self.spans[self.at].1 <= os {
            self.at += 1;
        }
        if let Some(&(from, _, url)) = self.spans.get(self.at).filter(|sp| sp.0 <= os) {
            // A URL folds into several words; only its first becomes the token.
            if !url || self.url_given == Some(from) {
                return None;
            }
            self.url_given = Some(from);
            return special("<url>");
        }
        if (self.ampersand && is_entity(text, os, oe)) || (word == b"rt" && is_rt(text, os, oe)) {
            return None;
        }
        if digits {
            return number_shape(text, os, word).and_then(special);
        }
        Some(Token { hash, start, end, special: None })
    }
}

/// "www" as folding writes it (two of a run of three letters).
const WWW: &[u8] = b"ww";

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

/// Spreads a feature's hash so that the top bits, which pick the bucket, depend on every bit: one
/// multiplication by the golden ratio (Fibonacci hashing), since the word hashes it mixes are
/// already well spread.
#[inline]
fn mix(h: u64) -> u64 {
    (h ^ (h >> 31)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::{Runs, fold};

    fn grams(text: &str, masks: &[Masked]) -> Vec<String> {
        let folded = fold(text, Runs::KeepDouble);
        let tokens = tokens(text, &folded);
        let doc = Doc { text, folded: &folded, tokens: &tokens, masks };
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
    fn web_addresses_without_a_scheme_are_one_token() {
        for text in ["see www.phb1.com now", "see WWW.Example.co.uk now", "see Www.x.org/a?b=1 now"] {
            assert_eq!(grams(text, &[]), ["see", "<url>", "see <url>", "now", "<url> now"], "{text:?}");
        }
        assert_eq!(grams("awww.nice", &[]), ["aww", "nice", "aww nice"]);
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
