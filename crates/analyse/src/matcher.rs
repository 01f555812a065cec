//! Finding folded patterns in folded text, each with its [`Anchor`]: the one matcher behind the
//! lexicon, the abuse and topic context words and the roster's names.
//!
//! Folded text is lower-case words separated by single spaces, and almost every pattern is whole
//! words. So a whole-word pattern, or a phrase that may end inside a word (`scratch card*`), is found
//! by looking each word of the text up in a hash table of first words, then comparing the bytes that
//! follow: a table probe per word, where an Aho-Corasick automaton over thousands of patterns costs a
//! transition (and often a cache miss) per byte. Measured under callgrind, that is about 9% fewer
//! instructions a comment for the whole analyser, and 40% less memory for its indexes. One word that
//! may start or end inside a word (`fuck*`, `*fucker`) is looked up by its first or last three
//! bytes. Only what is left (infixes, short affixes, phrases that may start inside a word) goes into
//! a small automaton, and most lexicons have none.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap;

use crate::fold::{Folded, Word, word_hash};
use crate::lexicon::Anchor;

/// Bytes of a word that key the prefix and suffix tables: patterns of one word that begin or end
/// inside a word are at least this long, or go to the automaton.
const AFFIX_KEY: usize = 3;

/// Patterns with their indexes.
type Patterns = Vec<(u32, Box<[u8]>)>;

/// A pattern found through its first word.
#[derive(Clone, Debug)]
struct Phrase {
    id: u32,
    bytes: Box<[u8]>,
    /// Whether it may end inside a word (`scratch card*`).
    open_end: bool,
    /// The hash of its second word, if it has one that must be whole: many phrases share a first
    /// word ("my", "you"), and comparing the next word's hash turns most of them away at once.
    second: Option<u64>,
}

/// Patterns compiled for matching; each is known by its index in the list it was built from.
#[derive(Clone, Debug, Default)]
pub(crate) struct Matcher {
    /// [`word_hash`] of the first word of each whole-word pattern → its range in `whole`.
    first_words: FxHashMap<u64, (u32, u32)>,
    /// The hashes of the first words of patterns that are one whole word or whose second word may
    /// end inside a word, to turn most words away before the table probe.
    first_word_bits: Bits,
    /// The hashes of the first two words of phrases whose second word is whole. Common words
    /// ("my", "you", "the") begin phrases, and the word after them rules most of those out.
    ///
    /// None where there are no such phrases: a roster's full names begin with first names that
    /// are patterns of their own, so its matcher has no pairs to test each word for.
    first_pair_bits: Option<Bits>,
    /// Patterns that start at a word's start and hold a whole first word, grouped by first word,
    /// longest first within a group.
    whole: Vec<Phrase>,
    /// One-word patterns that may end inside a word, keyed by their first bytes.
    prefixes: FxHashMap<[u8; AFFIX_KEY], Patterns>,
    /// One-word patterns that may start inside a word, keyed by their last bytes.
    suffixes: FxHashMap<[u8; AFFIX_KEY], Patterns>,
    /// The first two bytes of every prefix and the last two of every suffix, to turn most words
    /// away before the table probes.
    affix_pairs: (Bits, Bits),
    /// The rest (infixes, short affixes, phrases that may start inside a word), if any.
    partial: Option<AhoCorasick>,
    /// For each pattern of `partial`: its index and anchor.
    partial_ids: Vec<(u32, Anchor)>,
}

impl Matcher {
    /// Compile folded patterns; an empty pattern never matches but keeps its index.
    pub fn new<'p>(patterns: impl IntoIterator<Item = (&'p str, Anchor)>) -> Result<Matcher, String> {
        let mut m = Matcher::default();
        let mut whole: Vec<(u64, Phrase)> = Vec::new();
        let mut partial = Vec::new();
        for (id, (pattern, anchor)) in patterns.into_iter().enumerate() {
            let id = u32::try_from(id).map_err(|_| "too many patterns".to_string())?;
            let bytes = pattern.as_bytes();
            let phrase = bytes.contains(&b' ');
            let one_word = !phrase && bytes.len() >= AFFIX_KEY;
            let mut by_first_word = |open_end| {
                let second = second_word(bytes, open_end).map(word_hash);
                whole.push((word_hash(first_word(bytes)), Phrase { id, bytes: bytes.into(), open_end, second }));
            };
            match anchor {
                _ if bytes.is_empty() => {}
                Anchor::Word => by_first_word(false),
                // "scratch card*": its first word is whole.
                Anchor::Prefix if phrase => by_first_word(true),
                Anchor::Prefix if one_word => {
                    m.affix_pairs.0.insert(pair(bytes));
                    m.prefixes.entry(key(&bytes[..AFFIX_KEY])).or_default().push((id, bytes.into()))
                }
                Anchor::Suffix if one_word => {
                    m.affix_pairs.1.insert(pair(&bytes[bytes.len() - 2..]));
                    m.suffixes.entry(key(&bytes[bytes.len() - AFFIX_KEY..])).or_default().push((id, bytes.into()))
                }
                _ => {
                    partial.push(pattern);
                    m.partial_ids.push((id, anchor));
                }
            }
        }
        // Grouped by the hash rather than the word: two first words that share a hash share a group,
        // and the byte comparison tells them apart.
        whole.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.bytes.len().cmp(&a.1.bytes.len())).then(a.1.id.cmp(&b.1.id)));
        let mut i = 0;
        while i < whole.len() {
            let j = i + whole[i..].iter().take_while(|w| w.0 == whole[i].0).count();
            m.first_words.insert(whole[i].0, (i as u32, j as u32));
            let group = &whole[i..j];
            if group.iter().any(|(_, phrase)| phrase.second.is_none()) {
                m.first_word_bits.insert(hash_key(whole[i].0));
            } else {
                for (first, phrase) in group {
                    let pairs = m.first_pair_bits.get_or_insert_with(Bits::default);
                    pairs.insert(pair_key(*first, phrase.second.expect("tested above")));
                }
            }
            i = j;
        }
        m.whole = whole.into_iter().map(|(_, phrase)| phrase).collect();
        if !partial.is_empty() {
            let automaton = AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&partial)
                .map_err(|e| e.to_string())?;
            m.partial = Some(automaton);
        }
        Ok(m)
    }

    /// Call `f(index, start, end)` for every match lying within `range` of the folded text that
    /// respects its pattern's anchor. Matches come word by word in order of start, longest first
    /// at one start; those of the automaton, if any, after them.
    ///
    /// Inlined into each caller: its closure is then inlined too, and the callers run once per
    /// comment (without it, the compiler's choice changed with unrelated edits, costing 2%).
    #[inline]
    pub fn for_each(&self, folded: &Folded, range: (usize, usize), mut f: impl FnMut(usize, usize, usize)) {
        let text = folded.as_str().as_bytes();
        let (lo, hi) = (range.0.min(text.len()), range.1.min(text.len()));
        let words = folded.words();
        let from = words.partition_point(|w| (w.start as usize) < lo);
        // A roster's names are whole words only: no affix to test each word for.
        let has_affixes = !self.prefixes.is_empty() || !self.suffixes.is_empty();
        for (k, w) in words.iter().enumerate().skip(from) {
            let (start, end) = (w.start as usize, w.end as usize);
            if end > hi {
                break;
            }
            let pair = || pair_key(w.hash, words.get(k + 1).map_or(0, |n| n.hash));
            if self.first_word_bits.contains(hash_key(w.hash))
                || self.first_pair_bits.as_ref().is_some_and(|bits| bits.contains(pair()))
            {
                self.phrases(words, k, (text, hi), &mut f);
            }
            if has_affixes && end - start >= AFFIX_KEY {
                self.affixes(&text[start..end], start, &mut f);
            }
        }
        if let Some(automaton) = &self.partial {
            self.partial_matches(automaton, text, (lo, hi), f);
        }
    }

    /// The whole-word patterns and phrases that start at word `k`, ending by `hi`.
    fn phrases(&self, words: &[Word], k: usize, (text, hi): (&[u8], usize), f: &mut impl FnMut(usize, usize, usize)) {
        let Some(&(a, b)) = self.first_words.get(&words[k].hash) else { return };
        let start = words[k].start as usize;
        let next = words.get(k + 1).map(|n| n.hash);
        for p in &self.whole[a as usize..b as usize] {
            if p.second.is_some() && p.second != next {
                continue;
            }
            let stop = start + p.bytes.len();
            let ends_right = p.open_end || stop == text.len() || text.get(stop) == Some(&b' ');
            if stop <= hi && ends_right && text[start..stop] == p.bytes[..] {
                f(p.id as usize, start, stop);
            }
        }
    }

    #[inline]
    fn affixes(&self, word: &[u8], start: usize, f: &mut impl FnMut(usize, usize, usize)) {
        let (prefix_pairs, suffix_pairs) = &self.affix_pairs;
        if prefix_pairs.contains(pair(word))
            && let Some(prefixes) = self.prefixes.get(&key(&word[..AFFIX_KEY]))
        {
            for (id, p) in prefixes.iter().filter(|(_, p)| word.starts_with(p)) {
                f(*id as usize, start, start + p.len());
            }
        }
        if suffix_pairs.contains(pair(&word[word.len() - 2..]))
            && let Some(suffixes) = self.suffixes.get(&key(&word[word.len() - AFFIX_KEY..]))
        {
            for (id, p) in suffixes.iter().filter(|(_, p)| word.ends_with(p)) {
                f(*id as usize, start + word.len() - p.len(), start + word.len());
            }
        }
    }

    fn partial_matches(
        &self,
        automaton: &AhoCorasick,
        text: &[u8],
        (lo, hi): (usize, usize),
        mut f: impl FnMut(usize, usize, usize),
    ) {
        let input = aho_corasick::Input::new(text).range(lo..hi);
        for m in automaton.find_overlapping_iter(input) {
            let (id, anchor) = self.partial_ids[m.pattern().as_usize()];
            let (s, e) = (m.start(), m.end());
            let starts_word = s == 0 || text[s - 1] == b' ';
            let ends_word = e == text.len() || text[e] == b' ';
            let ok = match anchor {
                Anchor::Word => starts_word && ends_word,
                Anchor::Prefix => starts_word,
                Anchor::Suffix => ends_word,
                Anchor::Infix => true,
            };
            if ok {
                f(id as usize, s, e);
            }
        }
    }
}

/// A set of 16-bit keys, a bit each: the first two bytes of a prefix, the last two of a suffix,
/// the top bits of a first word's hash. One bit test is a fraction of a table probe, and most
/// words of a text find nothing.
#[derive(Clone, Debug)]
struct Bits(Box<[u64; 1024]>);

impl Default for Bits {
    fn default() -> Bits {
        Bits(Box::new([0; 1024]))
    }
}

impl Bits {
    fn insert(&mut self, key: u16) {
        self.0[usize::from(key / 64)] |= 1 << (key % 64);
    }

    fn contains(&self, key: u16) -> bool {
        self.0[usize::from(key / 64)] & (1 << (key % 64)) != 0
    }
}

fn pair(bytes: &[u8]) -> u16 {
    u16::from_be_bytes([bytes[0], bytes[1]])
}

/// The bits of a word hash that key [`Bits`]: the top ones, which the hash mixes best.
fn hash_key(hash: u64) -> u16 {
    (hash >> 48) as u16
}

/// The key in [`Bits`] of a word hash followed by another.
fn pair_key(first: u64, second: u64) -> u16 {
    hash_key((first ^ second.rotate_left(23)).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

fn key(bytes: &[u8]) -> [u8; AFFIX_KEY] {
    bytes[..AFFIX_KEY].try_into().expect("AFFIX_KEY bytes")
}

fn first_word(pattern: &[u8]) -> &[u8] {
    memchr::memchr(b' ', pattern).map_or(pattern, |i| &pattern[..i])
}

/// The second word of a phrase, if it has one that a text must hold whole: not the last word of a
/// phrase that may end inside a word.
fn second_word(pattern: &[u8], open_end: bool) -> Option<&[u8]> {
    let rest = &pattern[memchr::memchr(b' ', pattern)? + 1..];
    let word = first_word(rest);
    (word.len() < rest.len() || !open_end).then_some(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches<'t>(patterns: &[(&str, Anchor)], text: &'t str, range: (usize, usize)) -> Vec<(usize, &'t str)> {
        let m = Matcher::new(patterns.iter().copied()).unwrap();
        let folded = crate::fold::fold(text, crate::fold::Runs::KeepDouble);
        let mut out = Vec::new();
        m.for_each(&folded, range, |id, s, e| out.push((id, &text[s..e])));
        out.sort();
        out
    }

    #[test]
    fn whole_words_and_phrases() {
        let p = [("ass", Anchor::Word), ("beef curtains", Anchor::Word), ("beef", Anchor::Word), ("", Anchor::Word)];
        let text = "nice beef curtains class ass";
        assert_eq!(matches(&p, text, (0, text.len())), [(0, "ass"), (1, "beef curtains"), (2, "beef")]);
        assert_eq!(matches(&p, "beef curtain", (0, 12)), [(2, "beef")]);
        assert_eq!(matches(&p, "beefy curtains", (0, 14)), []);
    }

    #[test]
    fn phrases_whose_first_word_is_no_pattern_are_found_by_their_first_two_words() {
        let p = [("my little pony", Anchor::Word), ("my god", Anchor::Word), ("scratch card", Anchor::Prefix)];
        let text = "oh my god my dog and my little pony my little dog scratch cards";
        let found = matches(&p, text, (0, text.len()));
        assert_eq!(found, [(0, "my little pony"), (1, "my god"), (2, "scratch card")]);
        assert_eq!(matches(&p, "my", (0, 2)), []);
    }

    #[test]
    fn other_anchors() {
        let p = [
            ("fuck", Anchor::Prefix),
            ("fucker", Anchor::Suffix),
            ("cun", Anchor::Infix),
            ("fu", Anchor::Prefix),
            ("son of a b", Anchor::Prefix),
        ];
        let text = "motherfucker fucking scunthorpe son of a bitch";
        assert_eq!(
            matches(&p, text, (0, text.len())),
            [(0, "fuck"), (1, "fucker"), (2, "cun"), (3, "fu"), (4, "son of a b")]
        );
    }

    #[test]
    fn ranges_limit_matches() {
        let p = [("you", Anchor::Word), ("are", Anchor::Word), ("you are", Anchor::Word)];
        let text = "so you are here";
        assert_eq!(matches(&p, text, (3, 10)), [(0, "you"), (1, "are"), (2, "you are")]);
        assert_eq!(matches(&p, text, (4, 9)), []);
        assert_eq!(matches(&p, text, (0, 6)), [(0, "you")]);
    }
}
