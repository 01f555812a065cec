//! Runs of digit groups as people write them: `0161 496 0628`, `+44 (0)20 7946 0123`,
//! `4111-1111-1111-1111`, `930.167.3943`. The phone and card detectors share this first pass, then
//! each decides which consecutive groups of a run form one of its numbers, because a run may hold two
//! numbers, or a stray digit before one ("Year 7 07700 900123").
//!
//! Groups join across one separator: spaces (up to three), one dash or en dash with spaces around it,
//! a dot with no spaces, or brackets. Slashes and colons never join, which keeps dates (`21/10/2024`)
//! and times (`10:30`) apart; a line break never joins either.

use super::text::{digits_end, is_inline_space, next_char, next_digit, starts_token};

/// The most digits one run collects; longer runs are cut there and scanning goes on.
const MAX_DIGITS: usize = 40;
const MAX_GROUPS: usize = 16;

/// What joins a group to the next one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sep {
    Space,
    Dash,
    Dot,
    /// Nothing but brackets: `(0)20`, `44(0)`.
    Tight,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Group {
    pub start: usize,
    pub end: usize,
    /// An opening bracket right before the digits.
    pub opened: bool,
    /// A closing bracket right after the digits.
    pub closed: bool,
    /// How this group joins the next; `None` for the last group.
    pub sep: Option<Sep>,
}

impl Group {
    pub fn len(&self) -> usize {
        self.end - self.start
    }
}

#[derive(Clone, Debug)]
pub(super) struct Run {
    /// Where a `+` right before the first group sits.
    pub plus: Option<usize>,
    pub groups: Vec<Group>,
    /// A letter follows the last group directly (`12th`, `3621x0135`).
    pub letter_after: bool,
}

impl Run {
    /// The ASCII digits of groups `i..=j`, leaving out a bracketed trunk zero after the first group
    /// (`+44 (0)20`), which is not dialled from abroad.
    pub fn digits(&self, text: &str, i: usize, j: usize) -> String {
        let mut out = String::with_capacity(24);
        for (k, g) in self.groups[i..=j].iter().enumerate() {
            if k > 0 && self.is_trunk_zero(text, i + k) {
                continue;
            }
            out.push_str(&text[g.start..g.end]);
        }
        out
    }

    pub fn is_trunk_zero(&self, text: &str, k: usize) -> bool {
        let g = &self.groups[k];
        g.opened && g.closed && &text[g.start..g.end] == "0"
    }

    /// The digit count of groups `i..=j`.
    pub fn digit_count(&self, i: usize, j: usize) -> usize {
        self.groups[i..=j].iter().map(Group::len).sum()
    }

    /// The byte span of groups `i..=j`, with the `+` and the brackets that belong to them: an area code
    /// in brackets (`(0121) 496…`) or a bracketed group inside (`…(0)20…`), but not brackets around the
    /// whole number (`(0121 496 0628)`), which are the sentence's.
    pub fn span(&self, i: usize, j: usize) -> (usize, usize) {
        let groups = &self.groups[i..=j];
        let first = &groups[0];
        let last = &groups[groups.len() - 1];
        let mut start = first.start;
        if first.opened && groups[..groups.len() - 1].iter().any(|g| g.closed) {
            start -= 1;
        }
        if let (0, Some(plus)) = (i, self.plus) {
            start = plus;
        }
        let mut end = last.end;
        if last.opened && last.closed && i != j {
            end += 1;
        }
        (start, end)
    }
}

/// Every run of digit groups in `text` that does not begin inside a word or a price.
pub(super) fn runs(text: &str) -> Vec<Run> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = next_digit(bytes, at) {
        let opened = i > 0 && bytes[i - 1] == b'(';
        // "+44", and "(+44)" with its bracket.
        let plus = (i > 0 && bytes[i - 1] == b'+').then(|| if i > 1 && bytes[i - 2] == b'(' { i - 2 } else { i - 1 });
        let lead = plus.unwrap_or(if opened { i - 1 } else { i });
        if !starts_token(text, lead) {
            at = digits_end(bytes, i);
            continue;
        }
        let run = extend(text, i, plus, opened);
        at = run.groups.last().map_or(i + 1, |g| g.end);
        if !after_currency(text, lead) {
            out.push(run);
        }
    }
    out
}

/// Whether a currency sign stands right before `pos` (perhaps with a space): `£1 200 000` is money.
fn after_currency(text: &str, pos: usize) -> bool {
    let before = text[..pos].trim_end_matches(' ');
    before.ends_with(['£', '$', '€'])
}

fn extend(text: &str, first: usize, plus: Option<usize>, opened: bool) -> Run {
    let bytes = text.as_bytes();
    let mut groups: Vec<Group> = Vec::new();
    let mut pos = first;
    let mut opened = opened;
    let mut digits = 0;
    loop {
        let end = digits_end(bytes, pos);
        digits += end - pos;
        let closed = bytes.get(end) == Some(&b')');
        let after = end + usize::from(closed);
        let mut group = Group { start: pos, end, opened, closed, sep: None };
        let room = digits < MAX_DIGITS && groups.len() + 1 < MAX_GROUPS;
        if let Some((next, sep, next_opened)) = gap(text, after, closed || opened).filter(|_| room) {
            group.sep = Some(sep);
            groups.push(group);
            pos = next;
            opened = next_opened;
            continue;
        }
        groups.push(group);
        let letter_after = next_char(text, after).is_some_and(char::is_alphabetic);
        return Run { plus, groups, letter_after };
    }
}

/// The separator starting at `pos` and the digit after it: (the digit's position, the separator,
/// whether a bracket opens right before the digit).
fn gap(text: &str, pos: usize, bracketed: bool) -> Option<(usize, Sep, bool)> {
    let mut spaces = 0;
    let mut mark: Option<Sep> = None;
    let mut spaces_after_mark = 0;
    let mut at = pos;
    let mut opened = false;
    for c in text[pos..].chars() {
        match c {
            c if is_inline_space(c) => {
                spaces += 1;
                if mark.is_some() {
                    spaces_after_mark += 1;
                }
            }
            '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' if mark.is_none() => mark = Some(Sep::Dash),
            '.' if mark.is_none() && spaces == 0 => mark = Some(Sep::Dot),
            '(' if !opened => {
                opened = true;
                at += 1;
                break;
            }
            _ => break,
        }
        at += c.len_utf8();
        if spaces > 3 {
            return None;
        }
    }
    if !text.as_bytes().get(at).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if mark == Some(Sep::Dot) && spaces_after_mark > 0 {
        return None;
    }
    let sep = match mark {
        Some(sep) => sep,
        None if spaces > 0 => Sep::Space,
        None if bracketed || opened => Sep::Tight,
        None => return None,
    };
    Some((at, sep, opened))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(text: &str) -> Vec<Vec<&str>> {
        runs(text).iter().map(|r| r.groups.iter().map(|g| &text[g.start..g.end]).collect()).collect()
    }

    #[test]
    fn runs_join_groups_across_separators() {
        assert_eq!(groups("ring 0161 496 0628 now"), [["0161", "496", "0628"]]);
        assert_eq!(groups("+44 (0)20 7946-0123"), [["44", "0", "20", "7946", "0123"]]);
        assert_eq!(groups("930.167.3943"), [["930", "167", "3943"]]);
        assert_eq!(groups("4111 - 1111"), [["4111", "1111"]]);
    }

    #[test]
    fn dates_times_prices_and_words_stay_apart() {
        assert_eq!(groups("on 21/10/2024 at 10:30"), [["21"], ["10"], ["2024"], ["10"], ["30"]]);
        assert_eq!(groups("it was 12. 34 more"), [["12"], ["34"]]);
        assert!(groups("cost £1 200 000 and $5 000").is_empty());
        assert!(groups("abc123 x99").is_empty());
        assert_eq!(groups("0161\n496"), [["0161"], ["496"]]);
    }

    #[test]
    fn spans_take_the_plus_and_matching_brackets() {
        let text = "call (0121) 4960628 or +44 (0)20 7946 0123.";
        let rs = runs(text);
        let (s, e) = rs[0].span(0, 1);
        assert_eq!(&text[s..e], "(0121) 4960628");
        let (s, e) = rs[1].span(0, rs[1].groups.len() - 1);
        assert_eq!(&text[s..e], "+44 (0)20 7946 0123");
        assert_eq!(rs[1].digits(text, 0, 4), "442079460123");
        let text = "(0121 496 0628)";
        let r = &runs(text)[0];
        let (s, e) = r.span(0, 2);
        assert_eq!(&text[s..e], "0121 496 0628");
        let (s, e) = r.span(1, 2);
        assert_eq!(&text[s..e], "496 0628");
    }
}
