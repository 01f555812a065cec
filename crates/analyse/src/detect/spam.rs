//! Spam (P2.13): prize draws and premium-rate texts, and what spam looks like under a school's posts
//! (crypto "investment", "check my profile", work-from-home testimonials, fake giveaways).
//!
//! Two parts, each with its own finding so the explanation shows both:
//! - cues, combined by noisy-or (`1 - Π(1 - w)`) so that several weak cues add up and none alone
//!   decides unless it is strong: the lexicon's (`lexicons/spam.tsv`, each row a weighted cue in a
//!   category), and numbers read from the original text (premium-rate 09 numbers, short codes,
//!   pence-per-minute rates, sums of money), which folding cannot keep because it reads digits inside
//!   words as leetspeak; a link next to money talk is a cue of its own;
//! - the learned model (`model/spam.bin`, see [`crate::model`]), consulted when there is at least one
//!   cue.

use std::fmt::Write as _;

use super::Scan;
use crate::model::{Doc, Model};
use crate::{Detector, Error, Finding, Label};

const WEIGHTS: &[u8] = include_bytes!("../../model/spam.bin");
/// How many cues the evidence names, strongest first.
const EVIDENCE_CUES: usize = 8;
/// Below this, the combined cues are not worth showing.
const SHOW: f32 = 0.3;
/// Cues adding up to this let the model decide at its own threshold.
const CUES_FOR_MODEL: f32 = 0.15;
/// With weaker cues only, the probability the model needs.
const WEAK_CUES_MODEL: f32 = 0.8;
/// A link in a text that talks money.
const LINK_WITH_MONEY: f32 = 0.35;
/// The weakest money cue that makes a link suspect: earnings, investments, prizes, large sums; not a
/// price mentioned in passing.
const MONEY_FOR_LINK: f32 = 0.3;

/// The kind of the lexicon's rows naming the school's own publications and events ("the school
/// newsletter", "parents' evening").
const OWN: &str = "own";
/// What a cue that is neither money talk nor the writer's own (calls to action, mostly) weighs,
/// of itself, where the text names one of those: "please subscribe to the school newsletter" and
/// "click the link to book parents' evening" are how parents and the school talk, where the same
/// calls alone are how spam does.
const OWN_CALL: f32 = 0.4;

pub(crate) struct Spam {
    model: Model,
}

/// One cue: where it is, what it is and how much it weighs.
#[derive(Clone, Debug, PartialEq)]
struct Cue {
    start: usize,
    end: usize,
    what: String,
    weight: f32,
    category: Category,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Category {
    Money,
    Link,
    Other,
}

impl Spam {
    pub fn new(_settings: &crate::Settings) -> Result<Spam, Error> {
        let model = Model::from_bytes(WEIGHTS).map_err(|e| Error::Model { name: "spam", problem: e.to_string() })?;
        Ok(Spam::with_model(model))
    }

    /// The rules with another model: for training and cross-validation.
    pub fn with_model(model: Model) -> Spam {
        Spam { model }
    }

    pub fn detect(&self, scan: &Scan, out: &mut Vec<Finding>) {
        let cues = cues(scan);
        out.extend(combine(&cues));
        // The model speaks only where there is a cue. It learnt from text messages, and on a text
        // with no cue it has only style to go on, which is where its false positives on ordinary
        // comments come from. With only the weakest cues ("reply", "text") it must be surer.
        // Cross-validation gives the same F1 with this gate as without, at higher precision, and
        // most comments skip the model altogether.
        // A price alone opens no gate: schools talk prices (trips, uniform), and the model learnt
        // from text messages that "£" means spam.
        let gate = || cues.iter().filter(|c| !is_sum(c));
        if gate().next().is_none() {
            return;
        }
        let doc = Doc { text: scan.text, folded: scan.folded, tokens: scan.tokens, masks: &[] };
        let p = self.model.probability(&doc);
        let needed = if noisy_or(gate()) >= CUES_FOR_MODEL { self.model.threshold() } else { WEAK_CUES_MODEL };
        if p >= needed.max(self.model.threshold()) {
            out.push(self.model.finding("spam.bin", Label::Spam, "spam", &doc, p));
        }
    }
}

/// The cues' finding alone, without the model.
pub(crate) fn rule_finding(scan: &Scan) -> Option<Finding> {
    combine(&cues(scan))
}

/// Every cue of the text: lexicon rows, numbers, and a link next to money.
fn cues(scan: &Scan) -> Vec<Cue> {
    let mut cues: Vec<Cue> = Vec::new();
    let spam = || scan.hits.iter().map(|h| (h, scan.lexicon.term(h))).filter(|(_, t)| t.label == Label::Spam);
    let own = spam().find(|(_, t)| t.kind == OWN).map(|(_, t)| t.text.as_str());
    let mut seen: Vec<&str> = Vec::new();
    for (hit, term) in spam().filter(|(_, t)| t.kind != OWN) {
        if seen.contains(&term.text.as_str()) {
            continue;
        }
        seen.push(&term.text);
        let category = match term.kind.as_ref() {
            "money" => Category::Money,
            "link" => Category::Link,
            _ => Category::Other,
        };
        let (mut what, mut weight) = (term.text.clone(), term.score);
        if let Some(own) = own.filter(|_| category != Category::Money && !of_the_writer(&term.text)) {
            weight *= OWN_CALL;
            write!(what, " (the school's own: {own:?})").expect("writing to a String cannot fail");
        }
        cues.push(Cue { start: hit.start, end: hit.end, what, weight, category });
    }
    if super::count_digits(scan.text.as_bytes()) > 0 {
        numbers::cues(scan.text, &mut cues);
    }
    cues.extend(promotion::cue(scan.folded));
    keep_one_sum(&mut cues);
    let money = cues.iter().any(|c| c.category == Category::Money && c.weight >= MONEY_FOR_LINK);
    if let Some(link) = cues.iter().find(|c| c.category == Category::Link).filter(|_| money) {
        let (start, end) = (link.start, link.end);
        cues.push(Cue {
            start,
            end,
            what: "a link next to money talk".into(),
            weight: LINK_WITH_MONEY,
            category: Category::Other,
        });
    }
    cues
}

/// Whether a cue speaks of the writer's own ("subscribe to my", "follow me"): no school's
/// newsletter makes that anything but self-promotion.
fn of_the_writer(cue: &str) -> bool {
    cue.split(' ').any(|w| matches!(w, "my" | "me" | "i"))
}

/// Several prices in one message are one cue, not several: a holiday let quoting three prices is
/// no more spam than one quoting one.
fn keep_one_sum(cues: &mut Vec<Cue>) {
    let Some(best) = cues.iter().filter(|c| is_sum(c)).map(|c| c.weight).reduce(f32::max) else { return };
    let mut kept = false;
    cues.retain(|c| {
        if !is_sum(c) {
            return true;
        }
        let keep = !kept && c.weight == best;
        kept |= keep;
        keep
    });
}

/// A sum of money mentioned, as opposed to a charge per minute or a premium-rate number.
fn is_sum(c: &Cue) -> bool {
    c.what.starts_with("a sum of money") || c.what.starts_with("a large sum")
}

/// `1 - Π(1 - w)`: several weak cues add up, and no weight alone exceeds itself.
fn noisy_or<'c>(cues: impl IntoIterator<Item = &'c Cue>) -> f32 {
    1.0 - cues.into_iter().map(|c| 1.0 - c.weight).product::<f32>()
}

/// The cues' finding, if they add up to enough to show.
fn combine(cues: &[Cue]) -> Option<Finding> {
    let score = noisy_or(cues);
    if score < SHOW {
        return None;
    }
    let start = cues.iter().map(|c| c.start).min()?;
    let end = cues.iter().map(|c| c.end).max()?;
    let mut listed: Vec<&Cue> = cues.iter().collect();
    listed.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    listed.truncate(EVIDENCE_CUES);
    let mut evidence = String::from("spam cues (spam.tsv and number rules), combined by noisy-or: ");
    for (i, c) in listed.iter().enumerate() {
        let comma = if i == 0 { "" } else { ", " };
        write!(evidence, "{comma}{:?} {:.2}", c.what, c.weight).expect("writing to a String cannot fail");
    }
    Some(Finding::new(Label::Spam, "spam", score.min(0.99), (start, end), Detector::Lexicon).with_evidence(evidence))
}

/// Self-promotion: the writer sends readers to something of their own ("go check it out on my
/// channel", "please listen to my songs", "watch my latest video"). The lexicon holds the set
/// phrases ("check out my channel"); this rule holds their shape, a request and then "my" and a
/// thing people promote within a few words, because the words between vary more than rows can
/// list. Only "my": "our website" is how the school itself talks.
mod promotion {
    use std::sync::LazyLock;

    use memchr::memmem::Finder;

    use super::{Category, Cue};
    use crate::fold::Folded;

    /// Requests that send a reader somewhere.
    const ASKS: &[&str] = &[
        "book",
        "check",
        "click",
        "follow",
        "go",
        "head",
        "join",
        "like",
        "listen",
        "look",
        "read",
        "see",
        "share",
        "sub",
        "subscribe",
        "support",
        "view",
        "visit",
        "watch",
    ];
    /// Things people promote, with the cue's weight: a channel or songs are asked for by little
    /// but promotion; a page or a profile also by people asking about their own ("can you see my
    /// profile?"), so those need a second cue or the model.
    const THINGS: &[(&str, f32)] = &[
        ("art", STRONG),
        ("artwork", STRONG),
        ("beats", STRONG),
        ("blog", STRONG),
        ("business", STRONG),
        ("channel", STRONG),
        ("content", WEAK),
        ("instagram", STRONG),
        ("insta", STRONG),
        ("mixtape", STRONG),
        ("music", STRONG),
        ("page", WEAK),
        ("podcast", STRONG),
        ("profile", WEAK),
        ("shop", STRONG),
        ("site", WEAK),
        ("song", STRONG),
        ("songs", STRONG),
        ("soundcloud", STRONG),
        ("store", STRONG),
        ("stream", WEAK),
        ("tiktok", STRONG),
        ("track", STRONG),
        ("tracks", STRONG),
        ("video", STRONG),
        ("videos", STRONG),
        ("vids", STRONG),
        ("website", STRONG),
        ("youtube", STRONG),
    ];
    /// Words that may stand between "my" and the thing ("my latest video"); a person may not ("my
    /// daughter's video" is hers, and a parent's pride).
    const BETWEEN: &[&str] =
        &["first", "instagram", "latest", "little", "new", "own", "recent", "small", "tiktok", "youtube"];
    const STRONG: f32 = 0.55;
    const WEAK: f32 = 0.4;
    /// Words a request may stand before "my": "go check it out on my channel".
    const REACH: usize = 5;

    /// The strongest such request in the text, as a cue.
    pub(super) fn cue(folded: &Folded) -> Option<Cue> {
        let text = folded.as_str().as_bytes();
        let words = folded.words();
        let mut best: Option<Cue> = None;
        // Found by a byte search with one searcher built once, rather than word by word: most texts
        // have no "my" (callgrind on 20,000 mixed lines: 6.0M instructions against 7.8M; a searcher
        // built per text cost 10.4M).
        static MY: LazyLock<Finder> = LazyLock::new(|| Finder::new(b"my"));
        let mine = MY
            .find_iter(text)
            .filter(|&at| at > 0 && text[at - 1] == b' ' && text.get(at + 2).is_none_or(|&b| b == b' '));
        for at in mine {
            let k = words.partition_point(|w| (w.start as usize) < at);
            let thing = if BETWEEN.contains(&folded.word(k + 1)) { k + 2 } else { k + 1 };
            let Some(&(_, weight)) = THINGS.iter().find(|(t, _)| *t == folded.word(thing)) else { continue };
            let Some(ask) = (k.saturating_sub(REACH)..k).find(|&j| ASKS.contains(&folded.word(j))) else { continue };
            if best.as_ref().is_none_or(|b| b.weight < weight) {
                let (start, end) = (folded.word_origin(ask).0, folded.word_origin(thing).1);
                let what = "a request to visit the writer's own channel, page or work".to_string();
                best = Some(Cue { start, end, what, weight, category: Category::Other });
            }
        }
        best
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::fold::{Runs, fold};

        fn weight(text: &str) -> Option<f32> {
            cue(&fold(text, Runs::KeepDouble)).map(|c| c.weight)
        }

        #[test]
        fn requests_to_visit_the_writers_own_things() {
            assert_eq!(weight("Guys I just uploaded, go check it out on my channel!"), Some(STRONG));
            assert_eq!(weight("please listen to my songs"), Some(STRONG));
            assert_eq!(weight("please watch my latest video"), Some(STRONG));
            assert_eq!(weight("see how on my profile"), Some(WEAK));
        }

        #[test]
        fn the_writers_family_and_the_schools_pages_are_not_promotion() {
            assert_eq!(weight("watch my daughter's video from the concert"), None);
            assert_eq!(weight("visit our website for the term dates"), None);
            assert_eq!(weight("my channel is about gardening"), None);
            assert_eq!(weight("I watched the concert and then my video stopped"), None);
        }
    }
}

/// Numbers as spam cues, read from the original text.
mod numbers {
    use super::{Category, Cue};

    const PREMIUM: f32 = 0.6;
    const CHAT_LINE: f32 = 0.35;
    /// UK "personal numbers" (070): they look like mobiles and forward anywhere at a premium, and
    /// Ofcom warns they are a favourite of scams ("please call 07046744435 to arrange delivery").
    const PERSONAL_NUMBER: f32 = 0.4;
    const FREEPHONE: f32 = 0.2;
    const SHORT_CODE: f32 = 0.7;
    const BARE_SHORT_CODE: f32 = 0.35;
    const RATE: f32 = 0.7;
    const PENCE: f32 = 0.4;
    const MONEY: f32 = 0.25;
    const BIG_MONEY: f32 = 0.35;

    /// A number as written: digit groups joined by single spaces or hyphens, as phone numbers are.
    struct Number {
        start: usize,
        end: usize,
        digits: String,
    }

    /// One cue per kind of number: a message repeating its premium-rate number is no more spam
    /// for it, and a long text must not make a long list.
    pub(super) fn cues(text: &str, out: &mut Vec<Cue>) {
        for n in numbers(text) {
            if let Some(c) = classify(text, &n).filter(|c| !out.iter().any(|o| rule(&o.what) == rule(&c.what))) {
                out.push(c);
            }
        }
    }

    /// The kind of a number cue: its description up to the number itself.
    fn rule(what: &str) -> &str {
        what.split(|c: char| c == '"' || c.is_ascii_digit()).next().unwrap_or(what)
    }

    fn numbers(text: &str) -> Vec<Number> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            // Digits inside a word or a web address ("Ss2p", "t.co/x7p") are not numbers.
            if (i > 0 && b[i - 1].is_ascii_alphanumeric()) || in_url(b, i) {
                while i < b.len() && b[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                continue;
            }
            let start = i;
            let mut digits = String::new();
            let mut run_start = i;
            loop {
                while i < b.len() && b[i].is_ascii_digit() {
                    digits.push(b[i] as char);
                    i += 1;
                }
                // Join the next group only after a group of three or more, as in 0906 170 1461.
                let joinable = i - run_start >= 3 && digits.len() < 13;
                if joinable && i + 1 < b.len() && matches!(b[i], b' ' | b'-') && b[i + 1].is_ascii_digit() {
                    i += 1;
                    run_start = i;
                    continue;
                }
                break;
            }
            out.push(Number { start, end: i, digits });
        }
        out
    }

    /// Whether position `i` is inside a token that is a web address.
    fn in_url(b: &[u8], i: usize) -> bool {
        let start = b[..i].iter().rposition(u8::is_ascii_whitespace).map_or(0, |p| p + 1);
        let end = b[i..].iter().position(u8::is_ascii_whitespace).map_or(b.len(), |p| i + p);
        let token = &b[start..end];
        token.windows(3).any(|w| w == b"://") || token.windows(4).any(|w| w.eq_ignore_ascii_case(b"www."))
    }

    fn classify(text: &str, n: &Number) -> Option<Cue> {
        let cue =
            |what: String, weight: f32, category: Category| Cue { start: n.start, end: n.end, what, weight, category };
        // Only the words around the number matter; a window keeps long texts linear.
        let before = tail(text[..n.start].trim_end(), 64).to_ascii_lowercase();
        let after = head(&text[n.end..], 24);
        let digits = n.digits.as_str();
        if before.ends_with('£') || before.ends_with('$') || before.ends_with('€') {
            let start = text[..n.start].trim_end().len() - before.chars().next_back().map_or(0, char::len_utf8);
            let per = per_unit(after.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit()));
            let (what, weight) = match per {
                true => (format!("a charge per unit {:?}", &text[start..n.end]), RATE),
                false if amount(digits) >= 1000 => (format!("a large sum {:?}", &text[start..n.end]), BIG_MONEY),
                false => (format!("a sum of money {:?}", &text[start..n.end]), MONEY),
            };
            return Some(Cue { start, ..cue(what, weight, Category::Money) });
        }
        let len = digits.len();
        if (10..=11).contains(&len) && digits.starts_with("09") {
            return Some(cue(format!("premium-rate number {:?}", &text[n.start..n.end]), PREMIUM, Category::Money));
        }
        if (10..=11).contains(&len)
            && (digits.starts_with("087") || digits.starts_with("0844") || digits.starts_with("0845"))
        {
            return Some(cue(format!("chat-line number {:?}", &text[n.start..n.end]), CHAT_LINE, Category::Money));
        }
        if len == 11 && digits.starts_with("070") {
            return Some(cue(format!("personal number {:?}", &text[n.start..n.end]), PERSONAL_NUMBER, Category::Money));
        }
        if (10..=11).contains(&len) && (digits.starts_with("0800") || digits.starts_with("0808")) {
            return Some(cue(format!("freephone number {:?}", &text[n.start..n.end]), FREEPHONE, Category::Other));
        }
        if let Some(rest) = after.strip_prefix(['p', 'P']) {
            if per_unit(rest) || rest.to_ascii_lowercase().starts_with("pm") {
                return Some(cue(format!("a charge per unit {:?}p", digits), RATE, Category::Money));
            }
            if rest.chars().next().is_none_or(|c| !c.is_alphanumeric()) && len <= 3 {
                return Some(cue(format!("a price in pence {digits}p"), PENCE, Category::Money));
            }
        }
        if len == 5 && (before.ends_with(" to") || before.ends_with(" 2") || before.ends_with(" on")) {
            let window = tail(&before, 48);
            let told = ["text", "txt", "send", "reply", "sms"].iter().any(|w| window.contains(w));
            let weight = if told { SHORT_CODE } else { BARE_SHORT_CODE };
            return Some(cue(format!("short code {digits}"), weight, Category::Other));
        }
        None
    }

    /// The first `n` bytes of `s` or a little fewer, on a character boundary.
    fn head(s: &str, n: usize) -> &str {
        let mut at = n.min(s.len());
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        &s[..at]
    }

    /// The last `n` bytes of `s` or a little fewer, on a character boundary.
    fn tail(s: &str, n: usize) -> &str {
        let mut at = s.len().saturating_sub(n);
        while !s.is_char_boundary(at) {
            at += 1;
        }
        &s[at..]
    }

    /// `/min`, ` per msg`, `/wk`: what a premium service charges by.
    fn per_unit(rest: &str) -> bool {
        let rest = rest.trim_start().to_ascii_lowercase();
        let unit = rest.strip_prefix('/').or_else(|| rest.strip_prefix("per ")).or_else(|| rest.strip_prefix("a "));
        unit.is_some_and(|u| {
            ["min", "msg", "sms", "txt", "text", "wk", "week", "call", "mess"]
                .iter()
                .any(|p| u.trim_start().starts_with(p))
        })
    }

    fn amount(digits: &str) -> u64 {
        digits.get(..digits.len().min(12)).and_then(|d| d.parse().ok()).unwrap_or(0)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn found(text: &str) -> Vec<(String, f32)> {
            let mut out = Vec::new();
            cues(text, &mut out);
            out.into_iter().map(|c| (c.what, c.weight)).collect()
        }

        #[test]
        fn premium_numbers_short_codes_and_rates() {
            assert_eq!(found("call 0906 170 1461 now")[0].1, PREMIUM);
            assert_eq!(found("call 09061701461 now")[0].1, PREMIUM);
            assert_eq!(found("Text WIN to 87121 now")[0].1, SHORT_CODE);
            assert_eq!(found("costs 150p/min")[0].1, RATE);
            assert_eq!(found("only £1.50/wk")[0].1, RATE);
            assert_eq!(found("I earned £5000 this month")[0].1, BIG_MONEY);
        }

        #[test]
        fn ordinary_numbers_are_not_cues() {
            assert!(found("ring the office on 01632 960 001 about the trip on 12 May").is_empty());
            assert!(found("Year 6 raised 240 pounds, see you at 3pm").is_empty());
            assert!(found("look http://t.co/HvNUJT6Ss2p and x7p").is_empty());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;
    use crate::lexicon::Lexicon;

    /// The detector alone, on the analyser's own lexicon.
    fn findings(text: &str) -> Vec<Finding> {
        static PARTS: OnceLock<(Lexicon, Spam)> = OnceLock::new();
        let (lexicon, spam) = PARTS.get_or_init(|| {
            let settings = crate::Settings::default();
            let lexicon = Lexicon::new(crate::detect::builtin_terms().unwrap()).unwrap();
            (lexicon, Spam::new(&settings).unwrap())
        });
        let (folded, hits) = lexicon.scan(text);
        let tokens = crate::model::features::tokens(text, &folded);
        let scan = Scan { text, folded: &folded, hits: &hits, lexicon, tokens: &tokens };
        let mut out = Vec::new();
        spam.detect(&scan, &mut out);
        out
    }

    #[test]
    fn several_prices_are_one_cue() {
        let f = findings("Hey, $700 or $900 or $1100 for 5 nights");
        assert!(f.iter().all(|f| !f.counts()), "{f:?}");
        assert!(findings("Text WIN to 87121 to claim your £900 prize").iter().any(Finding::counts));
    }

    proptest! {
        #[test]
        fn spans_lie_on_char_boundaries(text in prop_oneof![
            "\\PC{0,80}",
            "[a-zA-Z0-9£$€/ .,:p-]{0,80}",
            "(txt|WIN|to|87121|£|€|9|09061701461|150p|/min| |𝕊|é|http://x.co/a1p|www.){0,14}",
        ]) {
            for f in findings(&text) {
                prop_assert!(f.start <= f.end && f.end <= text.len());
                prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            }
        }
    }
}
