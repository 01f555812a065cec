//! The abuse rules: lexicon terms judged in their context, hate and threats made of parts, and
//! masked words (`f**k`).
//!
//! A term's score in `abuse.tsv` is what the word alone says. Context then moves it: an innocent
//! sense nearby ("faggots and peas") or a proper name (Dick Whittington) clears it; being aimed at
//! someone ("you muppet") raises it; a negation ("you're not an idiot") lowers an insult; reporting
//! ("he called me a …") lowers anything, and reporting plus condemnation ("calling someone a … is not
//! OK") is counter-speech and clears it. Every move is written into the evidence.

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::context::{Cue, CueKind, Cues, Place, Words, quotation, same_sentence};
use super::misspelt::Misspellings;
use super::symbols::{self, Symbol};
use crate::detect::Scan;
use crate::evidence::{push_fixed2, push_quoted};
use crate::fold::word_hash;
use crate::label::kind;
use crate::lexicon::{Anchor, Hit, Term};
use crate::model::Masked;
use crate::{Detector, Error, Finding, Label};

/// What the rules found in one text.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub findings: Vec<Finding>,
    /// Words the model must not read as written: identities, and homonyms shown to be innocent.
    pub masks: Vec<Masked>,
    /// Why the model's abuse finding must not count (counter-speech, reported speech, negated hate).
    pub suppress: Option<String>,
}

pub(crate) struct Rules {
    cues: Cues,
    /// [`FILLERS`] by [`word_hash`]: the rules ask of many words whether they are one, and a
    /// probe of the hash fold already took is cheaper than comparing the word with each in turn.
    fillers: FxHashMap<u64, &'static str>,
    /// Made from the lexicon the first time a text names a group with no predicate beside it.
    misspellings: OnceLock<Misspellings>,
}

/// One possible finding, before and while its context is weighed.
struct Candidate<'t> {
    kind: Cow<'static, str>,
    target: Option<Cow<'static, str>>,
    score: f32,
    /// Folded span and its first and last words.
    folded: (usize, usize),
    first: usize,
    last: usize,
    /// Original span.
    start: usize,
    end: usize,
    /// The lexicon term, for sense and name checks.
    term: Option<&'t str>,
    /// A pattern made of parts (hate, threat) has weighed its own negation.
    pattern: bool,
    detector: Detector,
    evidence: String,
    rescued: bool,
    /// Reported or counter-speech: the model must stand down too.
    mentioned: bool,
}

/// A group named in the text (an identity, or people spoken of as a group), or a pronoun standing
/// for one.
struct Group<'a> {
    hit: Hit,
    term: &'a Term,
    first: usize,
    last: usize,
    /// Named as people ("muslims", "a muslim"), not as an adjective of something else ("muslim
    /// holidays").
    people: bool,
    /// The pronoun that stands for the group here.
    as_pronoun: Option<&'static str>,
}

/// One text's words and cues, computed only when the text has something abusive-looking. Cues are
/// sorted by their first word so that each question about a candidate ("is there an address just
/// before it?") looks only at the cues near it: a long text full of abuse costs time in proportion
/// to its length, not its square.
struct Text<'a> {
    scan: &'a Scan<'a>,
    words: Words<'a>,
    cues: Vec<Cue>,
    /// The most words any cue spans, so a window can start early enough to catch it.
    longest_cue: usize,
    /// Where the condemnations are among the cues.
    condemns: Vec<usize>,
    /// A condemnation denied ("it's not racist to say …"), which endorses what is said instead.
    endorsed: Option<usize>,
    /// Predicates misspelt near a group, as hits of the terms they stand for.
    misspelt: Vec<Hit>,
    rules: &'a Rules,
}

/// Words that may stand between an address and the insult it aims ("you absolute …").
const FILLERS: &[&str] = &[
    "a",
    "an",
    "the",
    "absolute",
    "total",
    "complete",
    "little",
    "fucking",
    "stupid",
    "fat",
    "ugly",
    "such",
    "so",
    "biggest",
    "bloody",
    "utter",
    "certified",
    "prize",
    "massive",
    "big",
    "real",
    "right",
    "proper",
    "dirty",
    "freaking",
    "frigging",
    "flipping",
    "effing",
    "old",
    "silly",
    "thick",
    "lazy",
    "useless",
    "pathetic",
    "dumb",
    "being",
    "f*cking",
    "fkn",
    "clueless",
    "incompetent",
    "ignorant",
    "arrogant",
    "disgusting",
    "horrible",
    "nasty",
    "vile",
    "brainless",
    "spineless",
    "miserable",
    "sad",
    "worthless",
    // Intensifiers: "you are too stupid", "are you really this thick?".
    "too",
    "really",
    "very",
    "just",
    "this",
    "that",
    "quite",
    "extremely",
    "incredibly",
    "truly",
    "genuinely",
    "actually",
    "totally",
    "seriously",
    "literally",
    "honestly",
    "clearly",
    "obviously",
    "beyond",
    "smelly",
    "gobby",
    "rude",
    "snobby",
    "selfish",
    "evil",
    "spiteful",
    "nosy",
    "bitter",
    "entitled",
    "lying",
    "awful",
    // Pejorative adjectives, which stand in the same place ("you filthy …", "a spoilt …").
    "filthy",
    "spoilt",
    "spoiled",
    "feral",
    "greedy",
    "sneaky",
    "slimy",
    "greasy",
    "gutless",
    "smug",
    "pompous",
    "jealous",
    "toxic",
    "twisted",
    "sick",
    "vindictive",
    "cheating",
    "thieving",
    "scheming",
    "snivelling",
    "sniveling",
    "whining",
    "corrupt",
    "crooked",
    "dishonest",
    "deceitful",
    "manipulative",
    "hypocritical",
    "cowardly",
    "shameless",
    "vicious",
    "cruel",
    "whinging",
    "moaning",
    "creepy",
    "hopeless",
    "shameless",
    "heartless",
    "cruel",
    "vicious",
    "revolting",
    "repulsive",
    "obnoxious",
    "condescending",
    "patronising",
    "patronizing",
    "insufferable",
    "cowardly",
    "senile",
    "demented",
    "deranged",
    "unhinged",
    "delusional",
    "stinking",
    "stinky",
    "lardy",
    "mindless",
    "gormless",
    "witless",
    "pointless",
    "moronic",
    "idiotic",
    "snotty",
    "mouthy",
    "cocky",
    "trashy",
    "scummy",
    "shifty",
    "manipulative",
    "despicable",
    "pitiful",
    "wretched",
    "horrid",
    "hideous",
    "lousy",
    "crappy",
    "damn",
    "damned",
    "freakin",
    "fricking",
    "brainwashed",
    "deluded",
    "backward",
    "inbred",
    "uneducated",
    "annoying",
];
/// Words that may join a group to what is said of it ("X are all just …").
const GLUE: &[&str] = &[
    "are",
    "r",
    "is",
    "were",
    "be",
    "been",
    "all",
    "just",
    "nothing",
    "but",
    "such",
    "fucking",
    "bloody",
    "total",
    "complete",
    "absolute",
    "like",
    "the",
    "them",
    "of",
    "literally",
    "basically",
    "really",
    "so",
    "a",
    "an",
    "bunch",
    "lot",
    "pure",
    "utter",
    "naturally",
    "inherently",
    "always",
    "genetically",
    // "X always have to be so …", "they're all …", "X like this should be …"
    "this",
    "have",
    "has",
    "to",
    "re",
    // "X (always) act like animals"
    "act",
    "acts",
    "behave",
    "behaves",
    // "X need to be put in camps", "X are nothing more than animals"
    "should",
    "need",
    "needs",
    "must",
    "more",
    "than",
    // "X bring nothing but crime", "X cause nothing but trouble"
    "bring",
    "brings",
    "cause",
    "causes",
];
/// Of the glue, what makes it a statement about the group.
const COPULA: &[&str] = &[
    "are", "r", "re", "is", "were", "be", "been", "like", "act", "acts", "behave", "behaves", "bring", "brings",
    "cause", "causes",
];
/// Of the glue, what says the predicate of the group as a copula does: "X should (just) …".
const MODALS: &[&str] = &["should", "must", "need", "needs"];
/// Predicates that are verb phrases of their own ("X should be deported").
const VERB_START: &[&str] = &[
    "should",
    "don",
    "do",
    "dont",
    "ruining",
    "taking",
    "breed",
    "control",
    "run",
    "own",
    "can",
    "cannot",
    "shouldn",
    "ruin",
    "make",
    "makes",
    "belong",
    "disgust",
    "lives",
    "out",
    "have",
    "has",
    "away",
    "smell",
    "smells",
    "stink",
    "stinks",
    "deserve",
    "deserves",
    "need",
    "needs",
    "must",
    "commit",
    "steal",
    "steals",
    "stealing",
    "take",
    "takes",
    "bring",
    "brings",
    "invade",
    "invading",
    "spread",
    "spreads",
    "spreading",
    "carry",
    "eat",
    "replace",
    "replacing",
    "destroy",
    "destroying",
    "breeding",
];
/// Words between a predicate that comes first and the group ("kill all the X").
const PRE_GLUE: &[&str] = &[
    "all", "the", "of", "those", "these", "them", "bloody", "fucking", "dirty", "filthy", "stinking", "every", "a",
    "an", "single", "one", "any", "lot", "last",
];
/// Nouns after a group adjective that make it mean people ("black people"), not a thing.
const PEOPLE: &[&str] = &[
    "people", "folk", "folks", "men", "women", "kids", "children", "lot", "families", "guys", "lads", "boys", "girls",
];
/// Words for one person or some, beside [`PEOPLE`]: an insulting adjective before either is said of
/// them ("what an ugly child", "such useless teachers").
const PERSONS: &[&str] = &[
    "child",
    "kid",
    "boy",
    "boys",
    "girl",
    "man",
    "woman",
    "person",
    "teacher",
    "teachers",
    "parent",
    "parents",
    "mum",
    "mother",
    "dad",
    "father",
    "head",
    "headteacher",
    "lady",
    "bloke",
    "son",
    "daughter",
    "family",
];
/// Nouns for one person that make the group word before them mean people ("a gay man"). Not the
/// roles of [`PERSONS`]: "an English teacher" teaches a subject.
const ONE_PERSON: &[&str] = &["person", "man", "woman", "boy", "girl", "guy", "lad", "bloke", "lady"];
/// Plural roles after a group's word that make it mean people ("gay teachers").
const ROLES_OF_MANY: &[&str] = &[
    "teachers",
    "staff",
    "parents",
    "pupils",
    "students",
    "doctors",
    "nurses",
    "workers",
    "neighbours",
    "mums",
    "dads",
    "drivers",
];
/// Words before a group's word that make it one member of the group ("a Muslim", "every immigrant").
const DETERMINERS: &[&str] = &["a", "an", "the", "every", "any", "one", "that", "this", "each"];
/// Words that cannot be the noun a group's word qualifies, so that before them it names a person:
/// "every immigrant in this town", "any Muslim who".
const NOT_NOUNS: &[&str] = &[
    "who", "is", "was", "in", "will", "would", "can", "should", "and", "or", "near", "at", "on", "with", "has", "had",
    "from", "like", "ever", "isn", "wasn", "won", "does", "did", "i", "we", "you", "they", "he", "she",
];
/// Pronouns that can stand for a group named before them.
const THEY: &[&str] = &["they", "them"];
/// How many words back a pronoun looks for the group it stands for.
const PRONOUN_REACH: usize = 12;
/// Titles before a surname: "Mrs Smith is a …".
const TITLES: &[&str] = &["mr", "mrs", "miss", "ms", "dr"];
/// A school's people by their role (and the people who run its page), beside the words of
/// [`person_word`], as the subject of what is said of them ("the governors are …"); not after an
/// adjective ("a stupid office" is a room).
const ROLES: &[&str] = &[
    "governor",
    "governors",
    "receptionist",
    "deputy",
    "caretaker",
    "dinner",
    "office",
    "admin",
    "admins",
    "moderator",
    "moderators",
];
/// Negations that deny someone is what the insult says.
const DENIALS: &[&str] = &["not", "never", "isn t", "aren t"];
/// The writer speaking for themselves: "I said", "I'm saying".
const FIRST_PERSON: &[&str] = &["i", "im"];
/// Words by which the writer refuses to say something: "I would never say", "I didn't call". Not
/// the lexicon's negator cues, whose "no" and "nobody" between "I" and a reporting word refuse
/// nothing ("I have no say", "I said nobody …").
const REFUSALS: &[&str] = &["never", "not", "wouldn", "wouldnt", "won", "wont", "didn", "didnt", "don", "dont"];
/// Subjects other than the writer, which make a reporting word after them someone else's ("I heard
/// he said").
const OTHER_SUBJECTS: &[&str] =
    &["he", "she", "they", "we", "you", "u", "someone", "somebody", "everyone", "people", "who", "that"];
/// How far before a reporting word its subject is looked for: "I was about to say".
const SUBJECT_REACH: usize = 4;

/// How many words a cue may be from what it qualifies.
const NEAR: usize = 5;
const REPORT_REACH: usize = 10;
/// Scores after context.
const RESCUED: f32 = 0.1;
const COUNTER_SPEECH: f32 = 0.15;
const REPORTED_MAX: f32 = 0.4;
const ADDRESSED_BOOST: f32 = 0.25;
/// The weakest insult taken as said to someone's face after a comma: weaker nouns are things and
/// animals as often as insults ("pens, glue, tool"; "sheep, goats, pig").
const VOCATIVE_MIN: f32 = 0.4;
/// The weakest insult taken as said to someone's face after a comma when the clause before
/// speaks to them ("you're not welcome here, weirdo").
const WEAK_VOCATIVE_MIN: f32 = 0.35;
/// The least score of an insult that, beside another, makes a finding of the pair.
const ADJACENT_MIN: f32 = 0.35;
/// The least an insulting adjective must weigh to strengthen the insulting noun right after it.
const ADJECTIVE_MIN: f32 = 0.25;
const PATTERN: f32 = 0.85;
/// Words from an intent to its violent verb: "I'll batter you", "I'm gonna come round and".
const INTENT_REACH: usize = 3;
const JOINED_INTENT_REACH: usize = 6;
/// Words from a wish to the word of dying: "I hope your whole family dies".
const WISH_REACH: usize = 6;
/// How far a harm may stand after its sufferer, in words ("you'll get your head kicked in",
/// "someone should give that caretaker a slap").
const HARM_REACH: usize = 5;
/// Capitalised words before a verb that are not names: "It needs a good kicking" (the ball).
const NOT_NAMES: &[&str] =
    &["i", "we", "it", "this", "that", "which", "what", "who", "there", "here", "everything", "something"];
/// The only words that may stand between a sufferer and the harm: what the harm lands on, and the
/// article and intensifiers of a harm that is a noun ("a good slap").
const HARM_BETWEEN: &[&str] = &[
    "a", "an", "the", "good", "proper", "real", "right", "his", "her", "your", "their", "ur", "head", "face", "teeth",
];
/// Violent verbs that are also what teams, games and injections do to people: wished on someone
/// they are no harassment ("I hope they beat you in the final").
const NOT_WISHED: &[&str] = &["hurt", "beat", "smash", "bash", "burn", "burns"];
/// Who else a death wish can name ("I hope he dies"). They are no person cues because a threat's
/// person follows its verb ("hurt him"), where "he" would start another clause.
const THIRD_PERSON: &[&str] = &["he", "she", "they"];
/// Parts of a person: an insult of one is of the person ("your ugly face").
const BODY: &[&str] =
    &["face", "mouth", "gob", "head", "voice", "teeth", "nose", "hair", "body", "arse", "ass", "self", "brain"];
/// Person cues that name someone's belongings as readily as the person.
const POSSESSIVES: &[&str] = &["your", "ur", "yer"];
/// Someone's people, after a possessive.
const THEIR_PEOPLE: &[&str] = &[
    "family", "kids", "kid", "children", "child", "son", "daughter", "mum", "mom", "dad", "mother", "father", "wife",
    "husband", "brother", "sister", "parents", "nan", "gran", "baby", "friends", "mates",
];
/// The score of hate written in a symbol.
const SYMBOL: f32 = 0.8;
/// The weakest term a masked word is read as ("sc*m").
const MASKABLE: f32 = 0.5;
/// Readings at least this strong, where a masked word has any, are the only ones taken: `f**k`
/// is "fuck", not the milder "feck" it could also spell.
const STRONG_READING: f32 = 0.7;

impl Rules {
    pub fn new() -> Result<Rules, Error> {
        let fillers = FILLERS.iter().map(|f| (word_hash(f.as_bytes()), *f)).collect();
        Ok(Rules { cues: Cues::new()?, fillers, misspellings: OnceLock::new() })
    }

    pub fn outcome(&self, scan: &Scan) -> Outcome {
        let mut out = Outcome::default();
        let (mut candidates, mut group, mut dehumanise) = (false, false, false);
        let (mut approach, mut private) = (false, false);
        for (hit, term) in abusive(scan) {
            match term.kind.as_ref() {
                "identity" => {
                    push_mask(&mut out.masks, hit.folded);
                    group = true;
                }
                "group" => group = true,
                // A dehumanising word makes hate only with a group to aim at: alone ("a dirty
                // kit", "you're welcome") it needs none of the work below.
                "dehumanise" => dehumanise = true,
                "violence" | "death" | "harm" | "shun" => candidates = true,
                // The grooming pattern needs both halves: either alone is ordinary.
                "approach" => approach = true,
                "private" => private = true,
                k if term.score > 0.0 && kind::ABUSE.contains(&k) => candidates = true,
                _ => {}
            }
        }
        let words = Words::new(scan.folded);
        // A group with no predicate found may have one misspelt beside it ("X are vrmin").
        let misspelt = if group && !dehumanise {
            let groups = abusive(scan).filter(|(_, t)| is_group(t)).map(|(h, _)| words.span(h.folded.0, h.folded.1));
            self.misspellings.get_or_init(|| Misspellings::new(scan.lexicon)).near(&words, groups)
        } else {
            Vec::new()
        };
        candidates |= (group && (dehumanise || !misspelt.is_empty())) || (approach && private);
        let masked = masked_words(scan.text);
        let symbols = symbols::find(scan.text);
        if !candidates && masked.is_empty() && symbols.is_empty() {
            return out;
        }
        let mut cues = self.cues.find(scan.folded, &words);
        cues.sort_by_key(|c| (c.first, c.last));
        let longest_cue = cues.iter().map(|c| c.last - c.first + 1).max().unwrap_or(1);
        let (endorsed, condemns): (Vec<usize>, Vec<usize>) =
            (0..cues.len()).filter(|&i| cues[i].kind == CueKind::Condemn).partition(|&i| denied(&words, &cues[i]));
        let endorsed = endorsed.first().copied();
        let text = Text { scan, words, cues, longest_cue, condemns, endorsed, misspelt, rules: self };
        let mut found = text.term_candidates();
        found.extend(text.masked_candidates(&masked));
        found.extend(symbols.iter().map(|s| text.symbol_candidate(s)));
        found.extend(text.threats());
        found.extend(text.death_wishes());
        found.extend(text.harms());
        found.extend(text.shunning());
        found.extend(text.grooming());
        found.extend(text.hate());
        for c in &mut found {
            text.weigh(c);
        }
        supersede_insults(&mut found);
        dedupe(&mut found);
        text.strengthen_adjacent(&mut found);
        for c in found {
            if c.rescued {
                push_mask(&mut out.masks, c.folded);
            }
            if c.mentioned && out.suppress.is_none() {
                out.suppress = Some(c.evidence.rsplit("; ").next().unwrap_or_default().to_string());
            }
            out.findings.push(c.into_finding());
        }
        out.masks.sort_by_key(|m| (m.start, m.end));
        out
    }
}

/// Whether a condemnation is denied just before it: "not racist", "isn't offensive", "nothing
/// wrong". Not the lexicon's negator cues: "no racist would say …" and "don't be racist" still
/// condemn.
fn denied(words: &Words, cue: &Cue) -> bool {
    let word = |back: usize| cue.first.checked_sub(back).map_or("", |i| words.word(i));
    matches!(word(1), "not" | "never" | "nothing" | "isnt" | "wasnt" | "aint")
        || (word(1) == "t" && matches!(word(2), "isn" | "wasn" | "ain" | "aren"))
}

fn abusive<'s>(scan: &'s Scan) -> impl Iterator<Item = (&'s Hit, &'s Term)> {
    scan.hits.iter().map(|h| (h, scan.lexicon.term(h))).filter(|(_, t)| t.label == Label::Abuse)
}

/// An identity or an unnamed group: what hate is aimed at.
fn is_group(term: &Term) -> bool {
    term.kind == "identity" || term.kind == "group"
}

fn push_mask(masks: &mut Vec<Masked>, (start, end): (usize, usize)) {
    if start < end {
        masks.push(Masked { start, end });
    }
}

/// The words that hide letters behind `*`, `#` or `%` (`f**k`, `c##t`), with their offsets:
/// whitespace-separated tokens, trimmed of the punctuation around words and of a hashtag's `#`,
/// that are ASCII letters and masks with at least one of each. Only the tokens around a mask
/// character are read: tweets carry `#` in hashtags and in entities (`&#128514;`), and splitting
/// each such text into tokens was a twentieth of the analyser's time on davidson's.
fn masked_words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = memchr::memchr3(b'*', b'#', b'%', &text.as_bytes()[from..]).map(|i| from + i) {
        let start =
            text[..at].char_indices().rev().find(|(_, c)| c.is_whitespace()).map_or(0, |(i, c)| i + c.len_utf8());
        let end = text[at..].find(char::is_whitespace).map_or(text.len(), |i| at + i);
        let (trimmed_start, token) = trim_token(text, start, end);
        let word = token.trim_start_matches('#');
        let start = trimmed_start + (token.len() - word.len());
        let masks = word.bytes().filter(|b| matches!(b, b'*' | b'#' | b'%')).count();
        let letters = word.bytes().filter(u8::is_ascii_alphabetic).count();
        if masks > 0 && letters > 0 && masks + letters == word.len() {
            out.push((start, word));
        }
        from = end;
    }
    out
}

impl<'a> Text<'a> {
    /// Lexicon terms that are findings by themselves.
    fn term_candidates(&self) -> Vec<Candidate<'a>> {
        abusive(self.scan)
            .filter(|(_, t)| t.score > 0.0 && kind::ABUSE.contains(&t.kind.as_ref()))
            .map(|(hit, term)| {
                let (first, last) = self.words.span(hit.folded.0, hit.folded.1);
                Candidate {
                    kind: term.kind.clone(),
                    target: term.target.clone(),
                    score: term.score,
                    folded: hit.folded,
                    first,
                    last,
                    start: hit.start,
                    end: hit.end,
                    term: Some(&term.text),
                    pattern: false,
                    detector: Detector::Lexicon,
                    evidence: term_evidence(term),
                    rescued: false,
                    mentioned: false,
                }
            })
            .collect()
    }

    /// Hate in a symbol ("(((they)))", "13/50"): read in context like a slur, so that quoting
    /// or condemning one is no hate.
    fn symbol_candidate(&self, s: &Symbol) -> Candidate<'a> {
        let (first, last, folded) = self.words_within(s.start, s.end);
        let written = &self.scan.text[s.start..s.end];
        Candidate {
            kind: Cow::Borrowed(kind::HATE),
            target: Some(Cow::Borrowed(s.target)),
            score: SYMBOL,
            folded,
            first,
            last,
            start: s.start,
            end: s.end,
            term: None,
            pattern: false,
            detector: Detector::Rule,
            evidence: format!("symbol {written:?}: {}, {SYMBOL:.2}", s.meaning),
            rescued: false,
            mentioned: false,
        }
    }

    /// Words with letters hidden behind `*`, `#` or `%` (`f**k`, `c***`), read as the abusive terms
    /// they could be. Folding keeps a single `*` between letters, so those already match the lexicon;
    /// this catches the rest.
    fn masked_candidates(&self, words: &[(usize, &'a str)]) -> Vec<Candidate<'a>> {
        let mut out = Vec::new();
        if words.is_empty() {
            return out;
        }
        let mut found: Vec<(usize, usize)> =
            self.scan.hits.iter().filter(|h| self.is_finding_term(h)).map(|h| (h.start, h.end)).collect();
        found.sort_unstable();
        let mut maskable: Option<Vec<&'a Term>> = None;
        for &(start, word) in words {
            let end = start + word.len();
            // Already a lexicon finding (`f*ck`): hits starting before the token's end, and the last
            // of them ending after its start.
            let before_end = found.partition_point(|h| h.0 < end);
            if found[..before_end].iter().rev().take(8).any(|h| h.1 > start) {
                continue;
            }
            let maskable = maskable.get_or_insert_with(|| self.maskable().collect());
            let Some((reading, readings)) = readings(maskable, word) else { continue };
            let (kind, target, score) = (reading.kind.clone(), reading.target.clone(), reading.score);
            let (first, last, folded) = self.words_within(start, end);
            out.push(Candidate {
                kind,
                target,
                score,
                folded,
                first,
                last,
                start,
                end,
                term: None,
                pattern: false,
                detector: Detector::Rule,
                evidence: format!("masked word {word:?} reads as {readings} ({}), {score:.2}", reading.kind),
                rescued: false,
                mentioned: false,
            });
        }
        out
    }

    fn is_finding_term(&self, h: &Hit) -> bool {
        let t = self.scan.lexicon.term(h);
        t.label == Label::Abuse && t.score > 0.0
    }

    /// Single-word abusive terms strong enough to name from a masked spelling: the masked forms
    /// people write are of the strong words, and a weak or rare one (`feck`) would only add doubt.
    fn maskable(&self) -> impl Iterator<Item = &'a Term> {
        self.scan.lexicon.terms().iter().filter(|t| {
            t.label == Label::Abuse
                && t.score >= MASKABLE
                && kind::ABUSE.contains(&t.kind.as_ref())
                && matches!(t.anchor, Anchor::Word | Anchor::Prefix)
                && t.text.bytes().all(|b| b.is_ascii_lowercase())
        })
    }

    /// The folded words whose original text lies within `start..end` (words are in the order of
    /// the original, so two binary searches find them).
    fn words_within(&self, start: usize, end: usize) -> (usize, usize, (usize, usize)) {
        let n = self.words.len();
        let first = partition(n, |i| self.words.origin(i).0 < start);
        let last = partition(n, |i| self.words.origin(i).1 <= end);
        if first >= last {
            return (0, 0, (0, 0));
        }
        (first, last - 1, (self.words.folded_span(first).0, self.words.folded_span(last - 1).1))
    }

    /// The hits of a kind of part ("violence", "death", "harm") with their first and last words,
    /// but not those a sense word shows innocent ("dead tired", "battered cod").
    fn parts(&self, kind: &'static str) -> impl Iterator<Item = (&'a Hit, &'a Term, usize, usize)> + '_ {
        abusive(self.scan).filter(move |(_, t)| t.kind == kind).filter_map(|(hit, term)| {
            let (first, last) = self.words.span(hit.folded.0, hit.folded.1);
            self.sense_for(&term.text, first, last).is_none().then_some((hit, term, first, last))
        })
    }

    /// Threats made of parts: an intent, a violent verb, a person ("I'm going to batter you").
    fn threats(&self) -> Vec<Candidate<'a>> {
        let mut out = Vec::new();
        for (hit, term, first, last) in self.parts("violence") {
            // The longest intent ("I'm gonna", not just "gonna"), up to three words before the verb,
            // or further when the verb is joined on with "and" ("I'll find you and hurt you").
            let joined = first > 0 && self.words.word(first - 1) == "and";
            let reach = if joined { JOINED_INTENT_REACH } else { INTENT_REACH };
            let intent = self
                .near(CueKind::Intent, first.saturating_sub(reach), first)
                .filter(|c| {
                    c.last < first && first - c.last <= reach && same_sentence(self.scan.text, c.hit.end, hit.start)
                })
                .min_by_key(|c| c.hit.start);
            // Or violence wished on someone by a hand not the writer's ("I hope someone punches
            // you"), but not what teams and injections do ("I hope they beat you at rounders").
            let wish = || {
                self.near(CueKind::Wish, first.saturating_sub(WISH_REACH), first)
                    .filter(|w| {
                        w.last < first
                            && first - w.last <= WISH_REACH
                            && same_sentence(self.scan.text, w.hit.end, hit.start)
                    })
                    .min_by_key(|w| w.hit.start)
                    .filter(|_| !NOT_WISHED.contains(&term.text.as_str()))
            };
            let person = self.near(CueKind::Person, last + 1, last + 3).find(|c| c.first > last);
            let (Some(intent), Some(person)) = (intent.or_else(wish), person) else { continue };
            let wished = intent.kind == CueKind::Wish;
            let negated =
                self.near(CueKind::Negator, intent.first, first).find(|n| n.first >= intent.first && n.last < first);
            let (pattern, opening, kind) =
                if wished { ("violence wished", "wish", kind::HARASSMENT) } else { ("threat", "intent", kind::THREAT) };
            let parts = format!(
                "{opening} {:?} + violence {:?} + person {:?}",
                self.cue_text(intent),
                term.text,
                self.cue_text(person)
            );
            let (score, evidence) = match negated {
                Some(n) => (RESCUED, format!("{pattern} pattern {parts}, negated by {:?}", self.cue_text(n))),
                None => (PATTERN, format!("{pattern} pattern: {parts}")),
            };
            out.push(self.pattern(
                kind,
                None,
                score,
                ((&intent.hit, intent.first), (&person.hit, person.last)),
                evidence,
                negated.is_some(),
            ));
        }
        out
    }

    /// Violence someone is to suffer ("you'll get battered", "he needs a good slap", "you're
    /// getting your head kicked in"): a sufferer (a verb of receiving after a person, or "give"
    /// before one), then a harm with only [`HARM_BETWEEN`] words, or the one given to, between.
    /// Violence promised to someone or called down on them: a threat.
    fn harms(&self) -> Vec<Candidate<'a>> {
        let mut out = Vec::new();
        for (hit, term, first, last) in self.parts("harm") {
            let noun = term.target.as_deref() == Some("noun");
            let between = |s: &Cue| {
                let giver = self.sufferer_role(s) == Some("giver");
                let allowed = |w: &str| HARM_BETWEEN.contains(&w) || (giver && is_recipient(w));
                (s.last + 1..first).all(|i| allowed(self.words.word(i)))
                    && (!noun || (s.last + 1..first).any(|i| matches!(self.words.word(i), "a" | "an")))
            };
            let sufferer = self
                .near(CueKind::Sufferer, first.saturating_sub(HARM_REACH), first)
                .filter(|s| s.last < first && first - s.last <= HARM_REACH && between(s))
                .find_map(|s| Some((s, self.sufferer_subject(s)?)));
            let Some((sufferer, subject)) = sufferer else { continue };
            if !self.harm_ends(hit, last, noun) {
                continue;
            }
            let mut evidence = String::from("threat pattern: sufferer ");
            if let Some(i) = subject {
                push_quoted(&mut evidence, self.words.word(i));
                evidence.push_str(" + ");
            }
            push_quoted(&mut evidence, self.cue_text(sufferer));
            evidence.push_str(" + harm ");
            push_quoted(&mut evidence, &term.text);
            let mut c = self.pattern(
                kind::THREAT,
                None,
                PATTERN,
                ((&sufferer.hit, sufferer.first), (hit, last)),
                evidence,
                false,
            );
            if let Some(i) = subject {
                (c.first, c.start, c.folded.0) = (i, self.words.origin(i).0, self.words.folded_span(i).0);
            }
            out.push(c);
        }
        out
    }

    /// Shutting someone out ("nobody likes you", "everyone laughs at your son", "no one wants to be
    /// friends with her"): a shunning phrase, then the person it shuts out, right after or after
    /// one word. Harassment: on a school's page, bullying of a child or a family.
    fn shunning(&self) -> Vec<Candidate<'a>> {
        let mut out = Vec::new();
        for (hit, term) in abusive(self.scan).filter(|(_, t)| t.kind == "shun") {
            let (first, last) = self.words.span(hit.folded.0, hit.folded.1);
            let shunned = self
                .near(CueKind::Person, last + 1, last + 2)
                .filter(|p| p.first > last && p.first <= last + 2 && self.shuts_out(p))
                .max_by_key(|p| p.last - p.first); // "your family", not just "your"
            let Some(person) = shunned else { continue };
            // After a possessive, up to the people it names ("your weird kid").
            let person_last = if POSSESSIVES.contains(&self.cue_text(person)) {
                (person.last + 1..=person.last + 2).find(|&i| THEIR_PEOPLE.contains(&self.words.word(i)))
            } else {
                None
            }
            .unwrap_or(person.last);
            let mut evidence = String::from("shunning pattern: ");
            push_quoted(&mut evidence, &term.text);
            evidence.push_str(" + person ");
            push_quoted(&mut evidence, self.cue_text(person));
            out.push(Candidate {
                kind: Cow::Borrowed(kind::HARASSMENT),
                target: None,
                score: PATTERN,
                folded: (hit.folded.0, self.words.folded_span(person_last).1),
                first,
                last: person_last,
                start: hit.start,
                end: self.words.origin(person_last).1,
                term: None,
                pattern: true,
                detector: Detector::Rule,
                evidence,
                rescued: false,
                mentioned: false,
            });
        }
        out
    }

    /// A stranger's approach to a child ("how old are you?", "what school do you go to") with a
    /// move to a private channel ("dm me", "add me on snap") anywhere in the same text: the first
    /// steps of grooming that safeguarding training names. Harassment, for the DSL to see; either
    /// alone is an ordinary question or an ordinary "message me".
    fn grooming(&self) -> Vec<Candidate<'a>> {
        let of_kind = |kind: &'static str| abusive(self.scan).find(|(_, t)| t.kind == kind);
        let (Some((approach, a)), Some((private, p))) = (of_kind("approach"), of_kind("private")) else {
            return Vec::new();
        };
        let (from, to) = if approach.start <= private.start { (approach, private) } else { (private, approach) };
        let (first, _) = self.words.span(from.folded.0, from.folded.1);
        let (_, last) = self.words.span(to.folded.0, to.folded.1);
        let mut evidence = String::from("grooming pattern: approach ");
        push_quoted(&mut evidence, &a.text);
        evidence.push_str(" + private channel ");
        push_quoted(&mut evidence, &p.text);
        vec![self.pattern(kind::HARASSMENT, None, PATTERN, ((from, first), (to, last)), evidence, false)]
    }

    /// Whether a person cue after a shunning phrase names someone: "you" or "him" (not "you to
    /// …": "no one wants you to miss the trip"), "her" at the end of its clause (not "her
    /// cooking"), or someone's people ("your son").
    fn shuts_out(&self, p: &Cue) -> bool {
        let next = self.words.word(p.last + 1);
        match self.cue_text(p) {
            "you" | "u" | "ya" | "him" => next != "to",
            "her" => {
                let end = self.scan.text[p.hit.end..].trim_start().chars().next().is_none_or(|c| !c.is_alphanumeric());
                end || matches!(next, "at" | "and" | "anymore" | "here" | "because" | "cos" | "lol" | "either" | "now")
            }
            "your" | "ur" | "yer" => self.names_someone(p),
            _ => false,
        }
    }

    /// A sufferer cue's row target: `whole`, `giver` or none.
    fn sufferer_role(&self, s: &Cue) -> Option<&str> {
        self.rules.cues.target(s)
    }

    /// Who, if anyone, a sufferer cue has to suffer: its own subject (`whole`), the one given to
    /// after it (`giver`, checked with the words between), or a subject right before its verb
    /// that is a person: "you", "he", "she", "they", a word for a person ("your husband
    /// deserves"), or a name ("Jake needs"). Not "I" or "we", who speak of themselves, nor "it"
    /// or "this" ("it needs a good kicking": the ball).
    ///
    /// Returns None when it has none, else the word of the subject before its verb, if that is
    /// where it is.
    fn sufferer_subject(&self, s: &Cue) -> Option<Option<usize>> {
        if self.sufferer_role(s).is_some() {
            return Some(None);
        }
        let i = s.first.checked_sub(1)?;
        let w = self.words.word(i);
        let (start, end) = self.words.origin(i);
        let name = capitalised(&self.scan.text[start..end]) && !NOT_NAMES.contains(&w);
        let person = person_word(w) || THEIR_PEOPLE.contains(&w) || ROLES.contains(&w);
        (matches!(w, "you" | "u" | "ya" | "he" | "she" | "they") || person || name).then_some(Some(i))
    }

    /// Whether a harm ending at word `last` is one: not the first part of a compound ("a slap-up
    /// meal") or of "… out of" ("knocked out of the cup"), and a noun harm not the first of two
    /// nouns ("a kicking practice", "a hiding place"): after one, only the end of the sentence or
    /// a word that cannot be a noun.
    fn harm_ends(&self, hit: &Hit, last: usize, noun: bool) -> bool {
        const AFTER_NOUN: &[&str] = &[
            "", "for", "from", "and", "if", "in", "off", "then", "mate", "lol", "tbh", "honestly", "you", "u", "or",
            "when",
        ];
        let next = self.words.word(last + 1);
        let clause_ends = self.scan.text[hit.end..].trim_start().starts_with(['.', ',', '!', '?', ';']);
        !self.scan.text[hit.end..].starts_with('-')
            && next != "of"
            && (!noun || clause_ends || AFTER_NOUN.contains(&next))
    }

    /// Wishing someone dead ("I hope your family dies", "I wish you were dead"): a wish, then the
    /// person, then a word of dying, within a few words of one sentence. Harassment, as the fixed
    /// phrases for it ("hope you die") are.
    fn death_wishes(&self) -> Vec<Candidate<'a>> {
        let mut out = Vec::new();
        for (hit, term, first, last) in self.parts("death") {
            let wish = self
                .near(CueKind::Wish, first.saturating_sub(WISH_REACH), first)
                .filter(|w| {
                    w.last < first
                        && first - w.last <= WISH_REACH
                        && same_sentence(self.scan.text, w.hit.end, hit.start)
                })
                .min_by_key(|w| w.hit.start);
            let Some(wish) = wish else { continue };
            let between = wish.last + 1..first;
            let person = self
                .near(CueKind::Person, between.start, between.end)
                .filter(|p| p.first > wish.last && p.last < first && self.names_someone(p))
                .max_by_key(|p| p.last - p.first) // "your family", not just "your"
                .map(|p| self.cue_text(p))
                .or_else(|| between.clone().map(|i| self.words.word(i)).find(|w| THIRD_PERSON.contains(w)));
            // Or a whole group ("I'd love to see all X dead"): hate of that group.
            let group = person.is_none().then(|| self.group_between(wish.last, first)).flatten();
            let Some(person) = person.or(group.map(|g| g.text.as_str())) else { continue };
            let negated =
                self.near(CueKind::Negator, between.start, between.end).find(|n| n.first > wish.last && n.last < first);
            let mut evidence = String::from("death wish");
            evidence.push_str(if negated.is_some() { " pattern " } else { " pattern: " });
            for (part, words) in [("wish ", self.cue_text(wish)), (" + person ", person), (" + ", term.text.as_str())] {
                evidence.push_str(part);
                push_quoted(&mut evidence, words);
            }
            if let Some(n) = negated {
                evidence.push_str(", negated by ");
                push_quoted(&mut evidence, self.cue_text(n));
            }
            let score = if negated.is_some() { RESCUED } else { PATTERN };
            let (kind, target) = match group {
                Some(g) => (kind::HATE, Some(g.target.clone().unwrap_or(Cow::Borrowed("identity")))),
                None => (kind::HARASSMENT, None),
            };
            out.push(self.pattern(
                kind,
                target,
                score,
                ((&wish.hit, wish.first), (hit, last)),
                evidence,
                negated.is_some(),
            ));
        }
        out
    }

    /// A group named as people between words `after` and `before`, exclusive.
    fn group_between(&self, after: usize, before: usize) -> Option<&'a Term> {
        abusive(self.scan).filter(|(_, t)| is_group(t)).find_map(|(h, t)| {
            let (f, l) = self.words.span(h.folded.0, h.folded.1);
            (f > after && l < before && self.named_as_people(t, f, l)).then_some(t)
        })
    }

    /// Whether a person cue names someone rather than their things: "your" does only before one of
    /// their people ("I hope your (whole) family dies", not "I hope your phone dies").
    fn names_someone(&self, p: &Cue) -> bool {
        if !POSSESSIVES.contains(&self.cue_text(p)) {
            return true;
        }
        (p.last + 1..=p.last + 2).any(|i| THEIR_PEOPLE.contains(&self.words.word(i)))
    }

    /// Hate made of parts: an identity and a dehumanising predicate ("X are vermin", "deport all X").
    fn hate(&self) -> Vec<Candidate<'a>> {
        let mut identities: Vec<Group> = abusive(self.scan)
            .filter(|(_, t)| is_group(t))
            .map(|(h, t)| {
                let (first, last) = self.words.span(h.folded.0, h.folded.1);
                let people = self.named_as_people(t, first, last);
                Group { hit: *h, term: t, first, last, people, as_pronoun: None }
            })
            .collect();
        identities.sort_by_key(|g| g.first);
        let pronouns = self.pronouns_of(&identities);
        identities.extend(pronouns);
        identities.sort_by_key(|g| g.first);
        let mut out = Vec::new();
        // An insult said of a whole group ("X are liars", "X are so stupid") dehumanises it as
        // the words made for that do.
        let insult = |t: &Term| t.kind == kind::INSULT && t.score > 0.0;
        let misspelt = self.misspelt.iter().map(|h| (h, self.scan.lexicon.term(h)));
        for (hit, term) in abusive(self.scan).filter(|(_, t)| t.kind == "dehumanise" || insult(t)).chain(misspelt) {
            let (first, last) = self.words.span(hit.folded.0, hit.folded.1);
            // Insults have no place of their own: they may stand on either side of the group.
            let place = term.target.as_deref().unwrap_or("any");
            // Groups close enough to be joined by glue words (patterns span at most eight words).
            let from = identities.partition_point(|g| g.first + 8 < first);
            let near = identities[from..].iter().take_while(|g| g.first <= last + 8);
            for g in near {
                let (ih, it, ifirst, ilast) = (&g.hit, g.term, g.first, g.last);
                let excluded =
                    place == "exclude" && g.as_pronoun.is_none() && self.no_group_then(ifirst, ilast, first, it);
                let after = matches!(place, "post" | "any")
                    && ilast < first
                    && self.group_then_predicate(it, ifirst, ilast, first);
                // A predicate before a group's word can stand where a determiner would ("the only
                // good X is …"): the word then names a member if a noun's follower comes next.
                let member = || NOT_NOUNS.contains(&self.words.word(ilast + 1));
                // An insult before a group qualifies it only right beside it ("stupid X").
                let before = matches!(place, "pre" | "any")
                    && last < ifirst
                    && (g.people || member())
                    && self.predicate_then_group(last, ifirst)
                    && (!insult(term) || ifirst == last + 1);
                if !(after || before || excluded)
                    || !same_sentence(self.scan.text, ih.start.min(hit.start), ih.end.max(hit.end))
                {
                    continue;
                }
                let (lo, hi) = (ifirst.min(first), ilast.max(last));
                // A negation inside the predicate is part of what it says ("don't belong"), and so
                // is the "no" of a sign turning a group away ("no X allowed").
                // Nor is the "aren't" that asks a question expecting yes ("aren't X all …?").
                let asking = if after { self.asking_copula(ifirst) } else { None };
                let own = |n: &Cue| {
                    (n.first >= first && n.last <= last)
                        || (excluded && n.last + 1 == ifirst)
                        || Some(n.first) == asking
                };
                // A negation just before a group denies what follows ("not all X are"); before a
                // pronoun it belongs to the clause before ("I wouldn't, they're …").
                let reach = if g.as_pronoun.is_some() { 0 } else { 2 };
                let negated = self
                    .near(CueKind::Negator, lo.saturating_sub(reach), hi)
                    .find(|n| n.last < hi && n.first + reach >= lo && !own(n));
                let group = it.target.clone().unwrap_or(Cow::Borrowed("identity"));
                let named = g.as_pronoun.map(|p| format!(" as {p:?}")).unwrap_or_default();
                let spelt = if self.misspelt.contains(hit) {
                    format!(" (spelt {:?})", &self.scan.text[hit.start..hit.end])
                } else {
                    String::new()
                };
                let parts = format!("identity {:?} ({group}){named} + dehumanising {:?}{spelt}", it.text, term.text);
                let (score, evidence) = match negated {
                    Some(n) => (RESCUED, format!("hate pattern {parts}, negated by {:?}", self.cue_text(n))),
                    None => (PATTERN, format!("hate pattern: {parts}")),
                };
                let (a, b) =
                    if ih.start <= hit.start { ((ih, ifirst), (hit, last)) } else { ((hit, first), (ih, ilast)) };
                let mut c = Candidate {
                    kind: Cow::Borrowed(kind::HATE),
                    target: Some(group),
                    score,
                    folded: (a.0.folded.0, b.0.folded.1),
                    first: a.1,
                    last: b.1,
                    start: a.0.start,
                    end: b.0.end,
                    term: None,
                    pattern: true,
                    detector: Detector::Rule,
                    evidence,
                    rescued: false,
                    mentioned: negated.is_some(),
                };
                c.first = lo;
                c.last = hi;
                out.push(c);
            }
        }
        out
    }

    /// "no X allowed": a group, named as people, turned away by a sign's "no" just before it and
    /// the predicate just after.
    fn no_group_then(&self, group_first: usize, group_last: usize, pred_first: usize, group: &Term) -> bool {
        // After "no", a group's word right before the predicate names people even in the singular
        // ("no woman can be trusted"), as after any determiner.
        let adjacent = match pred_first.checked_sub(group_last + 1) {
            Some(0) => true,
            Some(1) => self.people_word(group, group_last + 1),
            _ => false,
        };
        adjacent && group_first > 0 && self.words.word(group_first - 1) == "no"
    }

    /// Whether a group at words `first..=last` is named as people ("muslims", "women", "black
    /// people", "a gay man", "never trust a woman") rather than as an adjective of something else
    /// ("muslim holidays", "black coats", "an English teacher").
    fn named_as_people(&self, group: &Term, first: usize, last: usize) -> bool {
        let plural = group.text.ends_with('s') || group.text.ends_with("men") || group.text.ends_with(" people");
        // A faith or a way of being, named as a noun, qualifies nothing ("Islam is a cult").
        let belief = group.text == "islam" || group.text.ends_with("ism") || group.text.ends_with("ity");
        plural || belief || self.people_word(group, last + 1) || self.one_of_a_group(first, last)
    }

    /// Whether word `i`, after a group's word, makes it mean people: "black people", "a gay man",
    /// "gay teachers"; but "English teachers" teach a language, as the teachers of most
    /// nationalities' names do.
    fn people_word(&self, group: &Term, i: usize) -> bool {
        let w = self.words.word(i);
        PEOPLE.contains(&w)
            || ONE_PERSON.contains(&w)
            || (ROLES_OF_MANY.contains(&w) && group.target.as_deref() != Some("nationality"))
    }

    /// "a Muslim", "every immigrant in this town": one member of a group, named by the group's
    /// word with a determiner before it and nothing it qualifies after it (the clause ends, or a
    /// word that cannot be a noun follows).
    fn one_of_a_group(&self, first: usize, last: usize) -> bool {
        if first == 0 || !DETERMINERS.contains(&self.words.word(first - 1)) {
            return false;
        }
        if last + 1 == self.words.len() || NOT_NOUNS.contains(&self.words.word(last + 1)) {
            return true;
        }
        let (end, next) = (self.words.origin(last).1, self.words.origin(last + 1).0);
        self.scan.text[end..next].bytes().any(|b| matches!(b, b',' | b'.' | b'!' | b'?' | b';' | b':'))
    }

    /// "X are (all) scum": only glue words between, one of them a copula, or a verb-phrase predicate;
    /// or asked with the copula first ("why are X so useless?").
    fn group_then_predicate(&self, group: &Term, group_first: usize, group_last: usize, pred_first: usize) -> bool {
        // The group may be named as people first ("gay people are", "black men are").
        let from = if self.people_word(group, group_last + 1) { group_last + 2 } else { group_last + 1 };
        let gap = from..pred_first;
        let word = |i: usize| self.words.word(i);
        let verb = VERB_START.contains(&word(pred_first));
        let asked = self.asking_copula(group_first).is_some();
        // Pejorative adjectives may stand before what is said ("X are brainwashed idiots"), and a
        // modal says it as much as a copula does ("X should just hurry up and die").
        gap.len() <= 5
            && gap.clone().all(|i| GLUE.contains(&word(i)) || self.is_filler(i))
            && (verb || asked || gap.clone().any(|i| COPULA.contains(&word(i)) || MODALS.contains(&word(i))))
    }

    /// "why are X so useless?", "aren't all X criminals?": the copula that asks about a group, just
    /// before it or before "all" or "the"; the word where it starts.
    fn asking_copula(&self, group_first: usize) -> Option<usize> {
        let mut i = group_first.checked_sub(1)?;
        while matches!(self.words.word(i), "all" | "the" | "t") {
            i = i.checked_sub(1)?;
        }
        let w = self.words.word(i);
        (COPULA.contains(&w) || matches!(w, "aren" | "isn" | "arent" | "isnt")).then_some(i)
    }

    /// "filthy X", "kill all the X": up to five words between, all of them glue. (The group must
    /// also be named as people, not as an adjective of something else: "dirty white socks", "I
    /// hate English".)
    fn predicate_then_group(&self, pred_last: usize, group_first: usize) -> bool {
        group_first - pred_last <= 6 && (pred_last + 1..group_first).all(|i| PRE_GLUE.contains(&self.words.word(i)))
    }

    /// "I've met a lot of X and they are all …", "round up all X and get rid of them": "they" and
    /// "them" stand for the group named as people nearest before them, within [`PRONOUN_REACH`]
    /// words.
    fn pronouns_of(&self, groups: &[Group<'a>]) -> Vec<Group<'a>> {
        let mut out = Vec::new();
        if groups.iter().all(|g| !g.people) {
            return out;
        }
        for i in 0..self.words.len() {
            let word = self.words.word(i);
            let Some(&pronoun) = THEY.iter().find(|p| **p == word) else { continue };
            let Some(g) = groups.iter().rev().find(|g| g.people && g.last < i && i - g.last <= PRONOUN_REACH) else {
                continue;
            };
            let (start, end) = self.words.origin(i);
            let hit = Hit { term: g.hit.term, folded: self.words.folded_span(i), start, end };
            out.push(Group { hit, term: g.term, first: i, last: i, people: true, as_pronoun: Some(pronoun) });
        }
        out
    }

    fn pattern(
        &self,
        kind: &'static str,
        target: Option<Cow<'static, str>>,
        score: f32,
        ((from, first), (to, last)): ((&Hit, usize), (&Hit, usize)),
        evidence: String,
        negated: bool,
    ) -> Candidate<'a> {
        Candidate {
            kind: Cow::Borrowed(kind),
            target,
            score,
            folded: (from.folded.0, to.folded.1),
            first,
            last,
            start: from.start,
            end: to.end,
            term: None,
            pattern: true,
            detector: Detector::Rule,
            evidence,
            rescued: false,
            mentioned: negated,
        }
    }

    /// Cues of a kind that start between words `lo` and `hi` (and those starting a little earlier
    /// that may reach in).
    fn near(&self, kind: CueKind, lo: usize, hi: usize) -> impl Iterator<Item = &Cue> {
        self.around(lo, hi).filter(move |c| c.kind == kind)
    }

    /// Every cue that starts between words `lo` and `hi`, or early enough to reach `lo`.
    fn around(&self, lo: usize, hi: usize) -> impl Iterator<Item = &Cue> {
        let from = self.cues.partition_point(|c| c.first + self.longest_cue <= lo);
        self.cues[from..].iter().take_while(move |c| c.first <= hi)
    }

    fn cue_text(&self, cue: &Cue) -> &str {
        self.rules.cues.text(cue)
    }

    /// Weigh a candidate's context, adjusting its score and saying why.
    fn weigh(&self, c: &mut Candidate) {
        if let Some(term) = c.term {
            if let Some(sense) = self.sense_for(term, c.first, c.last).filter(|_| !self.called_you(c)) {
                c.score = c.score.min(RESCUED);
                c.rescued = true;
                c.evidence.push_str("; innocent sense: ");
                push_quoted(&mut c.evidence, self.cue_text(sense));
                c.evidence.push_str(" nearby");
                return;
            }
            if self.is_name(c) {
                c.score = c.score.min(RESCUED);
                c.rescued = true;
                c.evidence += "; capitalised among capitalised words: a proper name";
                return;
            }
        }
        if !c.pattern {
            self.weigh_address(c);
            self.weigh_negation(c);
        }
        self.weigh_mention(c);
    }

    /// "you clown", "you absolute pig": a word called at someone, which no innocent sense nearby
    /// ("read", "play") explains away. Not past an article: "are you the clown in the play?"
    fn called_you(&self, c: &Candidate) -> bool {
        let mut i = c.first;
        while i > 0 && self.is_filler(i - 1) && !matches!(self.words.word(i - 1), "a" | "an" | "the") {
            i -= 1;
        }
        i > 0 && matches!(self.words.word(i - 1), "you" | "u")
    }

    /// A sense cue that rescues `term` at words `first..=last`.
    fn sense_for(&self, term: &str, first: usize, last: usize) -> Option<&Cue> {
        self.near(CueKind::Sense, first.saturating_sub(NEAR + 1), last + NEAR).find(|s| {
            self.rules.cues.rescues(s).iter().any(|(t, place)| {
                t == term
                    && match place {
                        Place::JustBefore => s.last + 1 == first,
                        Place::JustAfter => s.first == last + 1,
                        Place::Near => {
                            let gap = if s.last < first { first - s.last } else { s.first.saturating_sub(last) };
                            gap <= NEAR && (s.first > last || s.last < first)
                        }
                    }
            })
        })
    }

    /// A word that is also a name, capitalised next to another capitalised word that is not aiming
    /// it at someone ("Dick Whittington", but not "You Dick").
    fn is_name(&self, c: &Candidate) -> bool {
        let text = self.scan.text;
        let name_like = self.near(CueKind::Name, c.first, c.first).any(|n| n.hit.folded == c.folded);
        if !name_like || !capitalised(&text[c.start..c.end]) || !text.chars().any(char::is_lowercase) {
            return false;
        }
        let neighbour = |i: Option<usize>| {
            i.filter(|&i| i < self.words.len()).is_some_and(|i| {
                let (os, oe) = self.words.origin(i);
                let aimed = self.around(i, i).any(|q| {
                    matches!(q.kind, CueKind::Address { .. } | CueKind::Person) && q.first <= i && i <= q.last
                });
                capitalised(&text[os..oe]) && !aimed && same_sentence(text, os.min(c.start), oe.max(c.end))
            })
        };
        neighbour(c.first.checked_sub(1)) || neighbour(Some(c.last + 1))
    }

    /// "you muppet", "what an idiot": an insult aimed at someone counts for more.
    fn weigh_address(&self, c: &mut Candidate) {
        if matches!(c.kind.as_ref(), kind::THREAT | kind::HARASSMENT | kind::INFLAMMATORY) {
            return;
        }
        let adjective = c.score <= 0.3;
        let address = self.around(c.first.saturating_sub(5), c.first).find(|a| {
            let CueKind::Address { nouns_only, send_off } = a.kind else { return false };
            a.last < c.first
                && c.first - a.last <= 4
                && (a.last + 1..c.first).all(|i| self.is_filler(i))
                && same_sentence(self.scan.text, a.hit.end, c.start)
                && !(nouns_only && adjective && !self.person_after(c.last) && !(send_off && self.sent_off(a, c)))
                && !(adjective && self.of_a_thing(a, c))
        });
        let pointed = address.is_none() && c.score >= VOCATIVE_MIN && self.pointed_at(c);
        let after = pointed || (address.is_none() && c.score >= VOCATIVE_MIN && self.addressed_after(c));
        let unaimed = address.is_none() && !after;
        let subject = if unaimed { self.person_subject(c) } else { None };
        let strong_enough = c.score >= VOCATIVE_MIN || (c.score >= WEAK_VOCATIVE_MIN && self.answers_an_address(c));
        let vocative = unaimed && subject.is_none() && strong_enough && self.vocative(c);
        let opening = unaimed && subject.is_none() && !vocative && adjective && self.opens_before_person(c);
        if unaimed && subject.is_none() && !vocative && !opening {
            return;
        }
        if self.of_the_writer(c, address) {
            c.evidence.push_str("; said of the writer or the writer's own");
            return;
        }
        c.score = (c.score + ADDRESSED_BOOST).min(0.95);
        c.evidence.push_str("; aimed at someone (");
        match (address, subject) {
            (Some(a), _) => push_quoted(&mut c.evidence, self.cue_text(a)),
            _ if pointed => c.evidence.push_str("\"this\", \"that\" or \"those\" before it"),
            _ if after => c.evidence.push_str("\"you\" after it, ending the sentence"),
            (None, Some(i)) => {
                c.evidence.push_str("said of ");
                push_quoted(&mut c.evidence, self.words.word(i));
            }
            _ if vocative => c.evidence.push_str("a comma or nothing before it, the sentence's end after"),
            _ => c.evidence.push_str("a word for a person after it, opening the sentence"),
        }
        c.evidence.push_str(") +");
        push_fixed2(&mut c.evidence, ADDRESSED_BOOST, false);
    }

    /// "go away troll": the insult right after a send-off, ending the sentence.
    fn sent_off(&self, address: &Cue, c: &Candidate) -> bool {
        address.last + 1 == c.first
            && (c.last + 1 == self.words.len()
                || !same_sentence(self.scan.text, c.end, self.words.origin(c.last + 1).0))
    }

    /// "your stupid alarm", "your crap old car": an insulting adjective after a possessive, with a
    /// word after it (past other adjectives) that names neither a person nor a part of one, is said
    /// of the thing ("your stupid son", "your ugly face" are not).
    fn of_a_thing(&self, address: &Cue, c: &Candidate) -> bool {
        if !matches!(self.cue_text(address), "your" | "yer") {
            return false;
        }
        let Some(noun) = (c.last + 1..c.last + 4).find(|&k| !self.is_filler(k)) else { return false };
        noun < self.words.len()
            && self.same_clause(c.end, noun)
            && !self.person_after(c.last)
            && !BODY.contains(&self.words.word(noun))
    }

    /// Whether word `i` stands in the clause that goes on from byte `end`: the same sentence, no
    /// comma between.
    fn same_clause(&self, end: usize, i: usize) -> bool {
        let next = self.words.origin(i).0;
        same_sentence(self.scan.text, end, next) && !self.scan.text[end..next].contains(',')
    }

    /// Two weak insults side by side ("get a life loser", "shut up idiot"), each below the threshold
    /// alone, say more together: the second takes both scores as independent evidence,
    /// 1 - (1 - a)(1 - b). Only words next to each other (one word between at most), so that a
    /// farm's "cow and a pig" stays two animals. An insulting adjective right before an insulting
    /// noun counts too ("stupid cow"), though alone it would be about things.
    fn strengthen_adjacent(&self, found: &mut [Candidate]) {
        let weak_from = |c: &Candidate, min: f32| {
            c.kind == kind::INSULT && !c.rescued && !c.mentioned && (min..crate::THRESHOLD).contains(&c.score)
        };
        let weak = |c: &Candidate| weak_from(c, ADJACENT_MIN);
        for i in 1..found.len() {
            let (before, rest) = found.split_at_mut(i);
            let (a, b) = (&before[i - 1], &mut rest[0]);
            let beside = a.last < b.first && b.first <= a.last + 2;
            let qualifies = weak_from(a, ADJECTIVE_MIN) && a.last + 1 == b.first;
            if (weak(a) || qualifies) && weak(b) && beside {
                b.score = 1.0 - (1.0 - a.score) * (1.0 - b.score);
                b.evidence.push_str("; beside another insult (");
                push_quoted(&mut b.evidence, a.term.unwrap_or_default());
                b.evidence.push_str(") together ");
                push_fixed2(&mut b.evidence, b.score, false);
            }
        }
    }

    /// "the teacher is a liar", "Mrs Smith is a disgrace.": an insult said of a person named
    /// before a copula, with only [`FILLERS`] between. The person's word, or the name after a
    /// title. A weak insult, which may as well be a part in a play or an adjective, must end its
    /// clause ("the head is thick.", not "thick with cold", "a pig in the panto"). Returns the word
    /// that names the person.
    fn person_subject(&self, c: &Candidate) -> Option<usize> {
        let word = |i: usize| self.words.word(i);
        let mut j = c.first.checked_sub(1)?;
        while self.is_filler(j) && c.first - j <= 4 {
            j = j.checked_sub(1)?;
        }
        if !matches!(word(j), "is" | "are" | "was" | "were") || j == 0 {
            return None;
        }
        let subject = j - 1;
        let (text, (start, end)) = (self.scan.text, self.words.origin(subject));
        let named = j >= 2 && TITLES.contains(&word(j - 2)) && capitalised(&text[start..end]);
        let w = word(subject);
        let person = person_word(w) || ROLES.contains(&w);
        let clause_ends =
            c.last + 1 == self.words.len() || word(c.last + 1) == "and" || !self.same_clause(c.end, c.last + 1);
        ((named || person) && (c.score >= VOCATIVE_MIN || clause_ends) && same_sentence(text, end, c.start))
            .then_some(subject)
    }

    /// "Stupid woman can't even …": an insulting adjective opening its sentence before a word for
    /// a person.
    fn opens_before_person(&self, c: &Candidate) -> bool {
        let before = self.scan.text[..c.start].trim_end();
        self.person_after(c.last) && (before.is_empty() || before.ends_with(['.', '!', '?']))
    }

    /// Whether word `i` is one of the [`FILLERS`], or "and" between two ("a complete and utter …").
    fn is_filler(&self, i: usize) -> bool {
        let filler = |i: usize| {
            self.words.hash(i).and_then(|h| self.rules.fillers.get(&h)).is_some_and(|&f| f == self.words.word(i))
        };
        filler(i) || (self.words.word(i) == "and" && i > 0 && filler(i - 1) && filler(i + 1))
    }

    /// Whether a word for a person follows word `i`: an insulting adjective before one is said of
    /// that person ("what an ugly child"), where before a thing it is not ("what a stupid rule").
    fn person_after(&self, i: usize) -> bool {
        // Past other adjectives: "what a nasty little man".
        let i = (i + 1..i + 3).find(|&k| !self.is_filler(k)).map_or(i, |k| k - 1);
        let next = self.words.word(i + 1);
        // Or a collection of them: "what an ugly bunch of kids".
        let many = matches!(next, "bunch" | "lot" | "pack" | "load") && self.words.word(i + 2) == "of";
        person_word(next) || (many && person_word(self.words.word(i + 3)))
    }

    /// An insult named first and its target after it, ending the sentence: "losers, the lot of
    /// you", "idiots all of you", "clowns you lot", "worthless, and so are you".
    fn addressed_after(&self, c: &Candidate) -> bool {
        const TARGETS: &[&[&str]] = &[
            &["the", "lot", "of", "you"],
            &["all", "of", "you"],
            &["you", "lot"],
            &["you", "all"],
            &["and", "so", "are", "you"],
            &["so", "are", "you"],
            &["just", "like", "you"],
            &["the", "lot", "of", "them"],
            &["all", "of", "them"],
        ];
        let n = self.words.len();
        TARGETS.iter().any(|t| {
            let end = c.last + t.len();
            // `word` is empty past the last word, so a match means the words are there.
            t.iter().enumerate().all(|(k, w)| self.words.word(c.last + 1 + k) == *w)
                && (end + 1 == n || {
                    !same_sentence(self.scan.text, self.words.origin(end).1, self.words.origin(end + 1).0)
                })
        })
    }

    /// "that moron", "these leftist losers": an insulting noun pointed at with a demonstrative, at
    /// most one word between, names someone in particular. Not a weak slur, whose other sense is
    /// pointed at as often ("those crackers").
    fn pointed_at(&self, c: &Candidate) -> bool {
        // The first part of a compound qualifies what follows it ("this idiot-proof guide").
        if c.kind != kind::INSULT || self.scan.text[c.end..].starts_with('-') {
            return false;
        }
        // "this" and "that" are also fillers ("not that stupid"), so look for them among the words
        // before, fillers or one other word ("these leftist losers").
        let mut others = 0;
        for i in (c.first.saturating_sub(4)..c.first).rev() {
            let w = self.words.word(i);
            if matches!(w, "this" | "that" | "these" | "those") {
                return true;
            }
            if !self.is_filler(i) {
                others += 1;
                if others > 1 {
                    return false;
                }
            }
        }
        false
    }

    /// An insult said to someone's face at the end of a sentence: "nobody asked you, idiot",
    /// "…, lazy gits."; or the whole comment, which answers whoever it replies to ("Loser.").
    fn vocative(&self, c: &Candidate) -> bool {
        let text = self.scan.text;
        let mut first = c.first;
        while first > 0 && self.is_filler(first - 1) {
            first -= 1;
        }
        let start = if first < c.first { self.words.origin(first).0 } else { c.start };
        let before = text[..start].trim_end_matches(' ');
        let after = text[c.end..].trim_start_matches(' ');
        (before.is_empty() || before.ends_with(','))
            && after.chars().next().is_none_or(|n| matches!(n, '.' | '!' | '?' | '\n'))
    }

    /// "you're not welcome here, weirdo": after the one comma of its sentence, with the clause
    /// before speaking to someone, even a weak insult is said to them. A list has more commas
    /// ("pens, glue, tool") and speaks to nobody.
    fn answers_an_address(&self, c: &Candidate) -> bool {
        let text = self.scan.text;
        let from = text[..c.start].rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
        text[from..c.start].matches(',').count() == 1
            && self
                .around(0, c.first)
                .any(|a| matches!(a.kind, CueKind::Address { .. }) && a.hit.start >= from && a.last < c.first)
    }

    /// "what an idiot I am", "I'm such an idiot": the writer calling themself names aims it at
    /// nobody else.
    fn of_the_writer(&self, c: &Candidate, address: Option<&Cue>) -> bool {
        let word = |i: usize| self.words.word(i);
        let after = (word(c.last + 1) == "i" && matches!(word(c.last + 2), "am" | "m")) || word(c.last + 1) == "im";
        let before = address.is_some_and(|a| {
            let b = a.first;
            let family = |w: &str| THEIR_PEOPLE.contains(&w) || PEOPLE.contains(&w);
            let own = |i: usize| word(i) == "we" || (i >= 1 && word(i - 1) == "my" && family(word(i)));
            // "I'm", "I look like a", "makes me look like a"
            (b >= 1 && matches!(word(b - 1), "im" | "i" | "me"))
                || (b >= 2 && word(b - 2) == "i" && matches!(word(b - 1), "am" | "m"))
                // "we are idiots", "my boys are pigs at dinner": the writer's own, said fondly or
                // ruefully, not aimed at anyone.
                || (word(b) == "are" && b >= 1 && own(b - 1))
        });
        after || before
    }

    /// "you're not an idiot": a negated insult is halved.
    fn weigh_negation(&self, c: &mut Candidate) {
        if c.kind != kind::INSULT {
            return;
        }
        // Only a denial that someone is the thing ("you're not an idiot", "she isn't a slag"): in
        // "no bitches" or "don't bitch" the word is still used as abuse.
        let negator = self.near(CueKind::Negator, c.first.saturating_sub(5), c.first).find(|n| {
            n.last < c.first
                && (n.last + 1..c.first).all(|i| self.is_filler(i))
                && DENIALS.contains(&self.cue_text(n))
                && (self.cue_text(n).ends_with("n t") || self.says_is(n.first))
        });
        if let Some(n) = negator {
            c.score *= 0.5;
            c.evidence.push_str("; negated (");
            push_quoted(&mut c.evidence, self.cue_text(n));
            c.evidence.push_str(") x0.5");
        }
    }

    /// Whether the words just before word `i` say someone is something: "you're", "he is", "are".
    fn says_is(&self, i: usize) -> bool {
        let Some(before) = i.checked_sub(1) else { return false };
        COPULA.contains(&self.words.word(before))
            || self
                .around(before, before)
                .any(|a| matches!(a.kind, CueKind::Address { nouns_only: false, .. }) && a.last == before)
    }

    /// Reported speech ("he called me a …") and counter-speech ("saying '…' is not OK").
    fn weigh_mention(&self, c: &mut Candidate) {
        let text = self.scan.text;
        // "It's not racist to say …": what follows is held, not reported.
        if let Some(e) = self.endorsed.map(|i| &self.cues[i]).filter(|e| same_sentence(text, e.hit.start, c.start)) {
            c.evidence.push_str("; said to be fine to say (");
            push_quoted(&mut c.evidence, self.cue_text(e));
            c.evidence.push(')');
            return;
        }
        let reported_by = |kind: CueKind| {
            self.near(kind, c.first.saturating_sub(REPORT_REACH + 1), c.first).find(|r| {
                r.last < c.first
                    && c.first - r.last <= REPORT_REACH
                    && same_sentence(text, r.hit.end, c.start)
                    && !self.writers_own(r, c.pattern)
                    // "written by morons": what follows "by" is who wrote, not what was written;
                    // in "whoever wrote this is a moron" the insult is of the writer.
                    && self.words.word(r.last + 1) != "by"
                    && (r.first == 0 || self.words.word(r.first - 1) != "whoever")
            })
        };
        // A supposed view is one about a group: a hate pattern.
        let report =
            reported_by(CueKind::Report).or_else(|| c.pattern.then(|| reported_by(CueKind::Supposition)).flatten());
        // Condemnation anywhere in the text, other than the words of the candidate itself …
        let others =
            || self.condemns.iter().map(|&i| &self.cues[i]).filter(|k| k.hit.end <= c.start || k.hit.start >= c.end);
        if report.is_none() && others().next().is_none() {
            return;
        }
        // … and other than the words of the quotation it stands in: in `"don't trust X, they're
        // scum"` the "don't" is part of what was quoted, not the writer's judgement of it. (Looking
        // for quotes costs more than all the rest of this, so only where there is condemnation.)
        let quote = others().next().and_then(|_| quotation(text, c.start, c.end));
        let condemn = others().find(|k| quote.is_none_or(|(open, close)| k.hit.end <= open || k.hit.start >= close));
        let in_quotes = report.is_none() && condemn.is_some() && quote.is_some();
        if report.is_none() && !in_quotes {
            return;
        }
        c.mentioned = true;
        if condemn.is_some() {
            c.score = c.score.min(COUNTER_SPEECH);
            c.evidence.push_str("; counter-speech: ");
        } else {
            c.score = (c.score * 0.5).min(REPORTED_MAX);
            c.evidence.push_str("; reported speech: ");
        }
        match report {
            Some(r) => {
                c.evidence.push_str("reported with ");
                push_quoted(&mut c.evidence, self.cue_text(r));
            }
            None => c.evidence.push_str("quoted"),
        }
        if let Some(k) = condemn {
            c.evidence.push_str(" and condemned with ");
            push_quoted(&mut c.evidence, self.cue_text(k));
        }
    }

    /// Whether a reporting word is the writer's own: "I said", "I'm saying", "I'd say", "I meant to
    /// say", "I could say": "I" within [`SUBJECT_REACH`] words before it, no other subject nearer.
    /// Of a view about a group (`view`), a refusal between ("I would never say", "I didn't call
    /// them that") makes what follows one the writer names in order to reject it. Not so of a
    /// word ("I'll never call her a hoe", "I never said you was a …"): the word is still written,
    /// or said to someone. Nor is "I'm not saying …" a refusal: it hedges what is said next.
    fn writers_own(&self, r: &Cue, view: bool) -> bool {
        let word = |i: usize| self.words.word(i);
        for n in 1..=SUBJECT_REACH {
            let Some(i) = r.first.checked_sub(n) else { return false };
            if FIRST_PERSON.contains(&word(i)) {
                let refusal = |j: usize| REFUSALS.contains(&word(j)) && !matches!(word(j - 1), "im" | "m" | "am");
                return !(view && (i + 1..r.first).any(refusal));
            }
            if OTHER_SUBJECTS.contains(&word(i)) {
                return false;
            }
        }
        false
    }
}

impl Candidate<'_> {
    fn into_finding(self) -> Finding {
        let mut f = Finding::new(Label::Abuse, self.kind, self.score, (self.start, self.end), self.detector)
            .with_evidence(self.evidence);
        f.target = self.target;
        f
    }
}

/// Whether a harm noun may be given to this word ("give him a slap", "give that caretaker a
/// slap").
fn is_recipient(w: &str) -> bool {
    matches!(w, "him" | "her" | "them" | "you" | "u" | "ya" | "that" | "this") || person_word(w) || ROLES.contains(&w)
}

/// Whether a folded word is a word for a person or people: "child", "parents", "staff".
fn person_word(w: &str) -> bool {
    PERSONS.contains(&w) || PEOPLE.contains(&w) || ROLES_OF_MANY.contains(&w)
}

/// Whether a word of the original text starts with a capital letter.
fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// "abuse.tsv \"idiot\": insult, 0.60", with " (target …)" after the kind for hate.
fn term_evidence(term: &Term) -> String {
    // Written part by part: this runs for most abusive comments, and `format!` was a tenth of the
    // abuse detector's cost.
    let mut evidence = String::with_capacity(term.source.len() + term.text.len() + term.kind.len() + 32);
    evidence.push_str(&term.source);
    evidence.push(' ');
    push_quoted(&mut evidence, &term.text);
    evidence.push_str(": ");
    evidence.push_str(&term.kind);
    if let Some(target) = &term.target {
        for part in [" (target ", target, ")"] {
            evidence.push_str(part);
        }
    }
    evidence.push_str(", ");
    push_fixed2(&mut evidence, term.score, false);
    evidence
}

/// Drop the insults that are part of a hate pattern: "women are stupid" says one thing, hate of a
/// group, and when that is denied ("no women are stupid") the insult in it is denied as well.
fn supersede_insults(found: &mut Vec<Candidate>) {
    let hate: Vec<(usize, usize)> =
        found.iter().filter(|c| c.pattern && c.kind == kind::HATE).map(|c| (c.first, c.last)).collect();
    found.retain(|c| c.pattern || c.kind != kind::INSULT || !hate.iter().any(|h| h.0 <= c.first && c.last <= h.1));
}

/// Keep one finding per kind where several overlap (`fuck*` and `*fuck` both match "fuck"): of each
/// run of overlapping findings of a kind, the highest score, then the longest span.
fn dedupe(found: &mut Vec<Candidate>) {
    found.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.start.cmp(&b.start)));
    let mut kept: Vec<Candidate> = Vec::with_capacity(found.len());
    let mut run_end = 0;
    for c in found.drain(..) {
        let better =
            |k: &Candidate| c.score.total_cmp(&k.score).then((c.end - c.start).cmp(&(k.end - k.start))).is_gt();
        match kept.last_mut() {
            Some(k) if k.kind == c.kind && c.start < run_end => {
                run_end = run_end.max(c.end);
                if better(k) {
                    *k = c;
                }
            }
            _ => {
                run_end = c.end;
                kept.push(c);
            }
        }
    }
    kept.sort_by_key(|c| (c.start, c.end));
    *found = kept;
}

/// The first `i` in `0..n` for which `before(i)` is false, `before` being true then false.
fn partition(n: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) { lo = mid + 1 } else { hi = mid }
    }
    lo
}

/// The terms a masked word can spell, preferring those of its exact length (`f**k` is "fuck", not
/// "fuk" and a spare letter) and strong ones ([`STRONG_READING`]). Returns the weakest reading
/// left, which the finding takes its score and kind from, and all of them for the evidence.
fn readings<'t>(maskable: &[&'t Term], word: &str) -> Option<(&'t Term, String)> {
    let mut all: Vec<&Term> = maskable.iter().copied().filter(|t| mask_matches(word, t)).collect();
    if all.iter().any(|t| t.score >= STRONG_READING) {
        all.retain(|t| t.score >= STRONG_READING);
    }
    if all.iter().any(|t| t.text.len() == word.len()) {
        all.retain(|t| t.text.len() == word.len());
    }
    all.dedup_by(|a, b| a.text == b.text);
    let weakest = *all.iter().min_by(|a, b| a.score.total_cmp(&b.score))?;
    let names: Vec<String> = all.iter().map(|t| format!("{:?}", t.text)).collect();
    Some((weakest, names.join(" or ")))
}

/// The whitespace-separated token `text[start..end]` trimmed of the punctuation around words,
/// with its offset.
fn trim_token(text: &str, start: usize, end: usize) -> (usize, &str) {
    let trim = |c: char| matches!(c, '.' | ',' | '!' | '?' | ';' | ':' | '"' | '(' | ')' | '\'');
    let t = &text[start..end];
    let trimmed = t.trim_start_matches(trim);
    (start + (t.len() - trimmed.len()), trimmed.trim_end_matches(trim))
}

/// Whether a masked word can spell the term: same letters where shown, a letter under every mask,
/// and for prefix terms (`fuck*`) any ending in plain letters.
fn mask_matches(word: &str, term: &Term) -> bool {
    let (w, t) = (word.as_bytes(), term.text.as_bytes());
    let len_ok = match term.anchor {
        Anchor::Prefix => w.len() >= t.len() && w[t.len()..].iter().all(u8::is_ascii_alphabetic),
        _ => w.len() == t.len(),
    };
    len_ok
        && w[0] != b'*'
        && w.iter().zip(t).all(|(&a, &b)| matches!(a, b'*' | b'#' | b'%') || a.eq_ignore_ascii_case(&b))
        && w.iter().zip(t).any(|(&a, _)| matches!(a, b'*' | b'#' | b'%'))
}
