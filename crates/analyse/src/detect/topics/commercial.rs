//! Commercial (P2.10, P2.13): adverts for businesses.
//!
//! Evidence comes in three forms:
//! - wording from the lexicon: first-person selling ("we sell", "my small business", "DM for prices",
//!   kind `business` in topics.tsv), calls to action ("buy now", "book your appointment"), discounts
//!   ("half price", "free delivery"), promo codes ("use code SAVE20": the code is taken into the span);
//! - patterns: a price next to a selling word ("only £5", "£10 each"), a percentage off ("50% off",
//!   "save 20%"), a link promoted ("check out www.mybiz.co.uk") or to a shop;
//! - weak cues (a bare link, "handmade", "bargain") that count only together.
//!
//! What is not advertising (P2.10 "unless directly related to the school"): the school's own events
//! (the PTA bake sale, tickets for the summer fair, a link to the school's website) damp the generic
//! cues, though never first-person selling; a text naming an allow-listed supplier
//! (`Settings::allowed_suppliers`: the uniform shop, the photographer) is excused entirely. Questions
//! about buying ("where did you buy the uniform?") carry none of these cues.
//!
//! All commercial findings have the kind `commercial`; the evidence names the cue.

use super::context::{Around, ContextWords, Role, folded_at};
use super::found::{Found, Item};
use super::source;
use crate::analysis::THRESHOLD;
use crate::detect::Scan;
use crate::detect::links::{Accounts, social, url};
use crate::fold::fold_term;
use crate::lexicon::{Hit, Term};
use crate::{Label, Settings};

const LABEL: Label = Label::Commercial;
const KIND: &str = "commercial";
const PRICED: f32 = 0.7;
const PERCENT_OFF: f32 = 0.75;
const PROMOTED_LINK: f32 = 0.75;
const SHOP_LINK: f32 = 0.7;
const BARE_LINK: f32 = 0.3;
/// What the school's own event leaves of a generic selling cue: shown, not counted.
const SCHOOL_EVENT: f32 = 0.45;
/// What an allow-listed supplier leaves of any commercial cue.
const ALLOWED: f32 = 0.2;
const PRICE_CUE_BEFORE: usize = 2;
const URL_CUE_BEFORE: usize = 3;

/// Cue kinds that the school's own events excuse; first-person selling (`business`) and promo codes
/// are never the school's.
const SCHOOL_MAY_USE: [&str; 6] = ["call_to_action", "discount", "sale", "price", "link", KIND];

struct Supplier {
    /// As the school wrote it, for the evidence.
    name: String,
    /// Folded words ("smart uniforms").
    words: String,
    /// Folded, without spaces ("smartuniforms"), for names written together or as a domain.
    joined: String,
}

pub(super) struct Commercial {
    official: Accounts,
    suppliers: Vec<Supplier>,
}

/// Where the patterns may be.
#[derive(Debug, Default)]
pub(super) struct Triggers {
    /// Where currency signs (`$`, `£`, `€`) start.
    pub prices: Vec<usize>,
    /// Where `%` signs are.
    pub percents: Vec<usize>,
    /// Where links may be ([`url::anchors`]).
    pub anchors: Vec<usize>,
}

impl Triggers {
    pub(super) fn any(&self) -> bool {
        !(self.prices.is_empty() && self.percents.is_empty() && self.anchors.is_empty())
    }
}

/// What the patterns saw that the excuses need.
#[derive(Default)]
pub(super) struct Seen {
    /// A link to the school's own website or channel.
    official_link: bool,
}

impl Commercial {
    pub(super) fn new(settings: &Settings) -> Commercial {
        let suppliers = settings
            .allowed_suppliers
            .iter()
            .filter_map(|name| {
                let words = fold_term(name);
                let joined: String = words.split(' ').collect();
                (!words.is_empty()).then(|| Supplier { name: name.clone(), words, joined })
            })
            .collect();
        Commercial { official: Accounts::new(&settings.official_accounts), suppliers }
    }

    /// Where prices, percentages and links may be; most texts have none.
    pub(super) fn triggers(&self, scan: &Scan) -> Triggers {
        let bytes = scan.text.as_bytes();
        let mut prices = Vec::new();
        // `£` is C2 A3 and `€` E2 82 AC in UTF-8: search for their last bytes, then check.
        for i in memchr::memchr3_iter(b'$', 0xA3, 0xAC, bytes) {
            match bytes[i] {
                b'$' => prices.push(i),
                0xA3 if i >= 1 && bytes[i - 1] == 0xC2 => prices.push(i - 1),
                0xAC if i >= 2 && bytes[i - 2..i] == [0xE2, 0x82] => prices.push(i - 2),
                _ => {}
            }
        }
        Triggers { prices, percents: memchr::memchr_iter(b'%', bytes).collect(), anchors: url::anchors(scan) }
    }

    /// Prices, percentages off and links.
    pub(super) fn patterns(
        &self,
        scan: &Scan,
        gate: &Triggers,
        context: &ContextWords,
        around: &mut Around,
        found: &mut Found,
    ) -> Seen {
        let mut seen = Seen::default();
        for &at in &gate.prices {
            self.price(scan, at, context, around, found);
        }
        for &at in &gate.percents {
            if let Some(span) = percent_off(scan.text, at) {
                let item = Item::new(LABEL, KIND, PERCENT_OFF, span).rule().tag("discount");
                found.push(item.key("percent off").why("a percentage off"));
            }
        }
        if !gate.anchors.is_empty() {
            seen.official_link = self.links(scan, &gate.anchors, context, around, found);
        }
        seen
    }

    /// A price at the currency sign at `sign`, if a selling word stands beside it.
    fn price(&self, scan: &Scan, sign: usize, context: &ContextWords, around: &mut Around, found: &mut Found) {
        let Some(end) = price_end(scan.text, sign) else { return };
        let at = (folded_at(scan.folded, sign), folded_at(scan.folded, end));
        if at.0 >= at.1 {
            return;
        }
        context.ensure_near(around, at);
        let cue = around
            .before(LABEL, Role::PriceCue, at, PRICE_CUE_BEFORE)
            .or_else(|| around.before(LABEL, Role::PriceEither, at, PRICE_CUE_BEFORE))
            .or_else(|| around.after(LABEL, Role::PriceEither, at, 1));
        // A bare price ("the trip costs £15") is not selling.
        let Some(cue) = cue else { return };
        let mut why = String::from("a price with '");
        why.push_str(around.words(&cue.cue));
        why.push_str("' beside it");
        found.push(Item::new(LABEL, KIND, PRICED, (sign, end)).rule().tag("price").key("price").why(why));
    }

    /// Links to websites that are not a social profile, the school's own, or a public service. Returns
    /// whether the text links to the school's own website.
    fn links(
        &self,
        scan: &Scan,
        anchors: &[usize],
        context: &ContextWords,
        around: &mut Around,
        found: &mut Found,
    ) -> bool {
        let mut official = false;
        for link in url::find(scan.text, anchors) {
            if self.official.has_url(&link) {
                official = true;
                continue;
            }
            if social::is_social(&link.host) || public_service(&link.host) || appeal_host(&link.host) {
                continue;
            }
            let span = (link.start, link.end);
            let at = (folded_at(scan.folded, link.start), folded_at(scan.folded, link.end));
            let cue = if at.0 < at.1 {
                context.ensure_near(around, at);
                around.before(LABEL, Role::UrlCue, at, URL_CUE_BEFORE)
            } else {
                None
            };
            let item = Item::new(LABEL, KIND, BARE_LINK, span).rule().tag("link").key(link.key());
            let item = if let Some(cue) = cue {
                item.scored(PROMOTED_LINK).why(format!("a link promoted ('{}' before it)", around.words(&cue.cue)))
            } else if shop_host(&link.host) {
                item.scored(SHOP_LINK).why(format!("a link to a shop ({})", link.host))
            } else {
                item.ambiguous().why("a link to a website, weak alone")
            };
            found.push(item);
        }
        official
    }

    /// Excuse what the policy allows: allow-listed suppliers, and the school's own events.
    pub(super) fn excuse(
        &self,
        scan: &Scan,
        context: &ContextWords,
        around: &mut Around,
        seen: &Seen,
        found: &mut Found,
    ) {
        if !found.items.iter().any(|i| i.label == LABEL) {
            return;
        }
        if let Some(supplier) = self.supplier_in(scan) {
            let why = format!("'{supplier}' is an allow-listed supplier");
            for item in found.items.iter_mut().filter(|i| i.label == LABEL) {
                item.settle(item.score.min(ALLOWED), &why);
            }
            return;
        }
        // "Is this the school's own event?" asks the whole text.
        context.ensure_whole(around);
        let school =
            around.any(LABEL, Role::School).map(|c| format!("the school's own event ('{}')", around.words(&c)));
        let school = school.or_else(|| seen.official_link.then(|| "a link to the school's own channel".to_string()));
        let Some(why) = school else { return };
        for item in found.items.iter_mut().filter(|i| i.label == LABEL && SCHOOL_MAY_USE.contains(&i.tag)) {
            item.settle(item.score * SCHOOL_EVENT, &why);
        }
    }

    /// The first allow-listed supplier the text names, by name or domain, case and spacing aside.
    fn supplier_in(&self, scan: &Scan) -> Option<&str> {
        let folded = scan.folded.as_str();
        self.suppliers
            .iter()
            .find(|s| contains_words(folded, &s.words) || (s.joined.len() >= 4 && contains_words(folded, &s.joined)))
            .map(|s| s.name.as_str())
    }
}

/// A lexicon term: one of the cue kinds of topics.tsv, or a school's own commercial term.
pub(super) fn judge(scan: &Scan, hit: &Hit, term: &Term, found: &mut Found) {
    let tag = match term.kind.as_ref() {
        "business" => "business",
        "call_to_action" => "call_to_action",
        "discount" => "discount",
        "code" => "code",
        "sale" => "sale",
        _ => KIND,
    };
    let end = if tag == "code" { code_end(scan.text, hit.end).unwrap_or(hit.end) } else { hit.end };
    let why = [&tag.replace('_', " "), " wording '", &term.text, "' (", source(term), ")"].concat();
    let item = Item::new(LABEL, KIND, term.score, (hit.start, end)).tag(tag).key(term.text.clone()).why(why);
    found.push(if term.score < THRESHOLD { item.ambiguous() } else { item });
}

/// The end of the amount after the currency sign at `sign` ("£5", "£ 2,000", "$9.99"), if one follows.
fn price_end(text: &str, sign: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = sign + text[sign..].chars().next()?.len_utf8();
    if bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    let digits = |from: usize| bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let n = digits(i);
    if n == 0 || n > 6 {
        return None;
    }
    i += n;
    // Thousands ("2,000") and pence ("9.99").
    while bytes.get(i) == Some(&b',') && digits(i + 1) == 3 {
        i += 4;
    }
    if bytes.get(i) == Some(&b'.') && (1..=2).contains(&digits(i + 1)) {
        i += 1 + digits(i + 1);
    }
    Some(i)
}

/// The span of a percentage off around the `%` at `sign`: "50% off", "20 % discount", "save 20%",
/// "up to 70%".
fn percent_off(text: &str, sign: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut start = sign;
    if start > 0 && bytes[start - 1] == b' ' {
        start -= 1;
    }
    let digits_end = start;
    while start > 0 && (bytes[start - 1].is_ascii_digit() || bytes[start - 1] == b'.') {
        start -= 1;
    }
    if start == digits_end || !bytes[start].is_ascii_digit() {
        return None;
    }
    let after = text[sign + 1..].trim_start();
    let word_end = after.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(after.len());
    let word = &after[..word_end];
    const AFTER: [&str; 6] = ["off", "discount", "reduction", "saving", "savings", "cheaper"];
    if AFTER.iter().any(|w| word.eq_ignore_ascii_case(w)) {
        return Some((start, text.len() - after.len() + word_end));
    }
    let before = text[..start].trim_end();
    let word_start = before.trim_end_matches(|c: char| c.is_ascii_alphabetic()).len();
    let word = &before[word_start..];
    const BEFORE: [&str; 3] = ["save", "saving", "extra"];
    if BEFORE.iter().any(|w| word.eq_ignore_ascii_case(w)) {
        return Some((word_start, sign + 1));
    }
    // "up to 70%"
    let up = before[..word_start].trim_end();
    let up_start = up.len().checked_sub(2)?;
    (word.eq_ignore_ascii_case("to") && up.is_char_boundary(up_start) && up[up_start..].eq_ignore_ascii_case("up"))
        .then_some((up_start, sign + 1))
}

/// The end of a promo code after "use code": a token of 3–20 letters and digits with a digit or in
/// capitals ("SAVE20", "WELCOME").
fn code_end(text: &str, from: usize) -> Option<usize> {
    let rest = &text[from..];
    let start = from + (rest.len() - rest.trim_start_matches([' ', ':', '"', '\'', '‘', '“']).len());
    let len = text[start..].bytes().take_while(u8::is_ascii_alphanumeric).count();
    let token = &text[start..start + len];
    let code_like = token.bytes().any(|b| b.is_ascii_digit()) || token.bytes().all(|b| !b.is_ascii_lowercase());
    ((3..=20).contains(&len) && code_like).then_some(start + len)
}

/// Whether `needle` (folded words) occurs in `folded` as whole words.
fn contains_words(folded: &str, needle: &str) -> bool {
    let bytes = folded.as_bytes();
    folded.match_indices(needle).any(|(i, _)| {
        let end = i + needle.len();
        (i == 0 || bytes[i - 1] == b' ') && (end == bytes.len() || bytes[end] == b' ')
    })
}

/// Public bodies, schools and universities, and the tools schools use: their links advertise nothing.
fn public_service(host: &str) -> bool {
    const SUFFIXES: [&str; 9] =
        [".gov.uk", ".nhs.uk", ".sch.uk", ".ac.uk", ".police.uk", ".parliament.uk", ".gov", ".edu", ".mod.uk"];
    const HOSTS: [&str; 12] = [
        "gov.uk",
        "nhs.uk",
        "bbc.co.uk",
        "bbc.com",
        "wikipedia.org",
        "google.com",
        "forms.gle",
        "microsoft.com",
        "office.com",
        "zoom.us",
        "parentpay.com",
        "classdojo.com",
    ];
    SUFFIXES.iter().any(|s| host.ends_with(s)) || HOSTS.iter().any(|h| url::host_is(host, h))
}

/// Fundraising sites: their links are donation requests (the lexicon finds their names), not adverts.
fn appeal_host(host: &str) -> bool {
    ["gofundme.com", "justgiving.com", "crowdfunder.co.uk", "paypal.me", "ko-fi.com", "patreon.com"]
        .iter()
        .any(|h| url::host_is(host, h))
}

/// Whether the host is plainly a shop: a shop's top-level domain, a shop word in the name, or a
/// marketplace.
fn shop_host(host: &str) -> bool {
    const MARKETPLACES: [&str; 9] = [
        "etsy.com",
        "ebay.co.uk",
        "ebay.com",
        "amazon.co.uk",
        "amazon.com",
        "depop.com",
        "vinted.co.uk",
        "gumtree.com",
        "notonthehighstreet.com",
    ];
    let name = host.split('.').next().unwrap_or("");
    [".shop", ".store", ".biz"].iter().any(|t| host.ends_with(t))
        || ["shop", "store", "boutique", "deals", "sale"].iter().any(|w| name.contains(w))
        || MARKETPLACES.iter().any(|m| url::host_is(host, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_taken_into_the_span() {
        let text = "use code SAVE20 today";
        assert_eq!(code_end(text, 8).map(|e| &text[9..e]), Some("SAVE20"));
        assert_eq!(code_end("use code at checkout", 8), None);
    }

    #[test]
    fn prices_and_percentages() {
        let text = "only £2,000.50 or $ 9";
        assert_eq!(price_end(text, 5).map(|e| &text[5..e]), Some("£2,000.50"));
        assert_eq!(price_end(text, 19).map(|e| &text[19..e]), Some("$ 9"));
        assert_eq!(price_end("£ and", 0), None);
        let text = "get 50% OFF, save 20%, up to 70 %, 5% of pupils";
        let spans: Vec<&str> =
            text.match_indices('%').filter_map(|(i, _)| percent_off(text, i)).map(|(s, e)| &text[s..e]).collect();
        assert_eq!(spans, ["50% OFF", "save 20%", "up to 70 %"]);
    }

    #[test]
    fn hosts() {
        assert!(public_service("www.education.gov.uk"));
        assert!(shop_host("mybakes.shop"));
        assert!(shop_host("etsy.com"));
        assert!(!shop_host("darulmadinah.org.uk"));
        assert!(appeal_host("gofundme.com"));
    }
}
