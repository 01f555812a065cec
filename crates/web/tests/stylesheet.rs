//! The stylesheet the binary serves (`static/gatehouse.css`), read as rules: every class the templates use
//! is styled (or listed below as a hook that needs no style), the colours that carry meaning meet WCAG 2.2
//! AA contrast, and on phones the tables show each cell's label. How the rules look in a real browser,
//! at desktop and phone widths, is checked by `browser.rs` with axe-core.

use std::path::Path;

const CSS: &str = include_str!("../static/gatehouse.css");

/// Classes that only mark an element for tests or for people quoting it, with nothing to style.
const HOOKS: [&str; 1] = [
    // The operation id on an error page: plain `code`.
    "operation-id",
];

/// One rule: the media query it sits in (if any), its selector list, its declarations.
#[derive(Debug)]
struct Rule {
    media: Option<String>,
    selectors: Vec<String>,
    declarations: Vec<(String, String)>,
}

fn without_comments(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("*/").expect("comments are closed") + start + 2;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A small reader for this stylesheet's shape: plain rules and one level of `@media`.
fn rules(css: &str, media: Option<&str>) -> Vec<Rule> {
    let mut out = Vec::new();
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let head = rest[..open].trim();
        if head.starts_with("@media") {
            let close = open + matching_brace(&rest[open..]);
            out.extend(rules(&rest[open + 1..close], Some(head)));
            rest = &rest[close + 1..];
            continue;
        }
        let close = open + rest[open..].find('}').expect("rules are closed");
        let declarations = rest[open + 1..close]
            .split(';')
            .filter_map(|d| d.split_once(':'))
            .map(|(p, v)| (p.trim().to_string(), v.trim().to_string()))
            .collect();
        let selectors = head.split(',').map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
        out.push(Rule { media: media.map(str::to_string), selectors, declarations });
        rest = &rest[close + 1..];
    }
    out
}

/// The offset of the brace that closes the one `text` starts with.
fn matching_brace(text: &str) -> usize {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    panic!("an unclosed block")
}

fn stylesheet() -> Vec<Rule> {
    rules(&without_comments(CSS), None)
}

/// The value of `property` in the last rule (outside media queries, or inside `media`) naming `selector`.
fn value(rules: &[Rule], media: Option<&str>, selector: &str, property: &str) -> Option<String> {
    rules
        .iter()
        .filter(|r| r.media.as_deref() == media && r.selectors.iter().any(|s| s == selector))
        .flat_map(|r| r.declarations.iter())
        .rfind(|(p, _)| p == property)
        .map(|(_, v)| v.clone())
}

/// The first `#rrggbb` colour in a declaration's value.
fn colour(value: &str) -> [u8; 3] {
    let at = value.find('#').unwrap_or_else(|| panic!("no colour in {value:?}"));
    let hex = &value[at + 1..at + 7];
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
    [byte(0), byte(2), byte(4)]
}

/// WCAG 2.x contrast ratio.
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let luminance = |c: [u8; 3]| {
        let lin = |v: u8| {
            let s = f64::from(v) / 255.0;
            if s <= 0.039_28 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
    };
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

fn required(rules: &[Rule], media: Option<&str>, selector: &str, property: &str) -> String {
    value(rules, media, selector, property)
        .unwrap_or_else(|| panic!("no {property} for {selector} (media {media:?}) in gatehouse.css"))
}

const PHONES: Option<&str> = Some("@media (max-width: 40rem)");
const WHITE: [u8; 3] = [255, 255, 255];

#[test]
fn every_class_the_templates_use_is_styled() {
    let css = without_comments(CSS);
    let mut classes = Vec::new();
    collect_classes(&Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"), &mut classes);
    assert!(classes.len() > 20, "the templates were read: {classes:?}");
    for class in classes {
        // `state--{{ c.class }}`: every value it can take is checked in the next test.
        if class.contains("{{") || HOOKS.contains(&class.as_str()) {
            continue;
        }
        let styled = css.match_indices(&format!(".{class}")).any(|(at, m)| {
            let next = css[at + m.len()..].chars().next().unwrap_or(' ');
            !(next.is_ascii_alphanumeric() || next == '-' || next == '_')
        });
        assert!(styled, "templates use class {class:?}, which gatehouse.css does not style");
    }
}

fn collect_classes(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_classes(&path, out);
            continue;
        }
        let html = std::fs::read_to_string(&path).unwrap();
        for (at, m) in html.match_indices("class=\"") {
            let start = at + m.len();
            let list = &html[start..start + html[start..].find('"').unwrap()];
            // A template expression stays one token: `state--{{ c.class }}`.
            let list = list.replace("{{ ", "{{").replace(" }}", "}}");
            for class in list.split_whitespace() {
                if !out.iter().any(|c| c == class) {
                    out.push(class.to_string());
                }
            }
        }
    }
}

#[test]
fn every_consent_state_has_a_bar_of_its_own_shape_and_readable_text() {
    let rules = stylesheet();
    let text = colour(&required(&rules, None, "html", "color"));
    let mut shapes = Vec::new();
    for state in ["granted", "refused", "withdrawn", "expired", "none"] {
        let selector = format!(".state--{state}");
        let bar = required(&rules, None, &selector, "border-left");
        let background = value(&rules, None, &selector, "background").map_or(WHITE, |b| colour(&b));
        assert!(contrast(colour(&bar), WHITE) >= 3.0, "{selector}: the bar {bar} is too faint against the page");
        assert!(contrast(colour(&bar), background) >= 3.0, "{selector}: the bar {bar} fades into its background");
        assert!(contrast(text, background) >= 4.5, "{selector}: text on its background");
        let shape: Vec<String> = bar.split_whitespace().filter(|w| !w.starts_with('#')).map(String::from).collect();
        assert!(!shapes.contains(&shape), "{selector}: the bar {bar} looks like another state's but for colour");
        shapes.push(shape);
    }
}

#[test]
fn refused_rows_stand_out_by_background_and_bar_with_readable_text() {
    let rules = stylesheet();
    let text = colour(&required(&rules, None, "html", "color"));
    let link = colour(&required(&rules, None, "a", "color"));
    let visited = colour(&required(&rules, None, "a:visited", "color"));
    let tint = colour(&required(&rules, None, ".refused > td", "background"));
    assert_ne!(tint, WHITE, "refused rows are tinted");
    for (what, fg) in [("text", text), ("links", link), ("visited links", visited)] {
        assert!(contrast(fg, tint) >= 4.5, "{what} on a refused row: {:.2}:1", contrast(fg, tint));
    }
    let bar = colour(&required(&rules, None, ".refused > :first-child", "box-shadow"));
    assert!(contrast(bar, tint) >= 3.0 && contrast(bar, WHITE) >= 3.0, "the refused row's bar");

    // On phones the row is a block of its own: the bar and the tint move to the row.
    let phone_bar = colour(&required(&rules, PHONES, ".table tr.refused", "border-left"));
    let phone_tint = colour(&required(&rules, PHONES, ".table tr.refused", "background"));
    assert!(contrast(phone_bar, phone_tint) >= 3.0 && contrast(text, phone_tint) >= 4.5, "refused rows on phones");
}

#[test]
fn hints_and_errors_are_readable_on_the_page_and_in_the_filters() {
    let rules = stylesheet();
    let filters = colour(&required(&rules, None, ".filters", "background"));
    for selector in [".hint", ".error"] {
        let fg = colour(&required(&rules, None, selector, "color"));
        for bg in [WHITE, filters] {
            assert!(contrast(fg, bg) >= 4.5, "{selector} on {bg:?}: {:.2}:1", contrast(fg, bg));
        }
    }
}

#[test]
fn on_phones_cells_show_their_labels_and_details_take_one_column() {
    let rules = stylesheet();
    let label = ".table td > .visually-hidden:first-child";
    assert_eq!(required(&rules, PHONES, label, "position"), "static !important", "beats .visually-hidden's");
    assert_eq!(required(&rules, PHONES, label, "clip"), "auto");
    assert_eq!(required(&rules, PHONES, label, "width"), "auto");
    assert_eq!(required(&rules, PHONES, ".table thead", "position"), "absolute", "headers hidden: why labels show");
    assert!(value(&rules, None, label, "clip").is_none(), "wider screens keep the labels for screen readers only");

    assert_eq!(required(&rules, None, ".details", "display"), "grid");
    let wide = required(&rules, None, ".details", "grid-template-columns");
    assert_eq!(tracks(&wide), 2, "two columns: {wide}");
    assert_eq!(required(&rules, PHONES, ".details", "grid-template-columns"), "1fr");
}

/// How many tracks a `grid-template-columns` value lists (spaces inside `minmax(…)` do not count).
fn tracks(value: &str) -> usize {
    let mut depth = 0;
    let mut count = 0;
    let mut in_track = false;
    for c in value.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ' ' if depth == 0 => in_track = false,
            _ if !in_track => {
                in_track = true;
                count += 1;
            }
            _ => {}
        }
    }
    count
}

#[test]
fn targets_are_at_least_24px_and_focus_is_visible() {
    let rules = stylesheet();
    for selector in [".site-nav a", ".subnav a", ".table a"] {
        assert_eq!(required(&rules, None, selector, "min-height"), "1.5rem", "{selector}: 24px");
    }
    for selector in ["input[type=\"radio\"]", "input[type=\"checkbox\"]"] {
        assert_eq!(required(&rules, None, selector, "width"), "1.5rem", "{selector}");
        assert_eq!(required(&rules, None, selector, "height"), "1.5rem", "{selector}");
    }
    assert_eq!(required(&rules, None, ".button", "min-height"), "2.75rem");
    let outline = required(&rules, None, ":focus-visible", "outline");
    assert!(outline.starts_with("3px solid"), "{outline}");
    assert!(contrast(colour(&outline), colour(&required(&rules, None, ".site-header", "background"))) >= 3.0);
    // Links drop the outline for a yellow background with dark text and a dark underline bar.
    let focused = colour(&required(&rules, None, "a:focus-visible", "background"));
    assert!(contrast(colour(&required(&rules, None, "a:focus-visible", "color")), focused) >= 4.5);
    assert!(required(&rules, None, "a:focus-visible", "box-shadow").contains("#0b0c0c"), "the dark bar");
}

#[test]
fn the_reader_reads_rules_and_media_queries() {
    let parsed = rules("a, b  c { color: #010203; } @media (max-width: 1px) { d { x: y } }", None);
    assert_eq!(parsed.len(), 2);
    assert_eq!(parsed[0].selectors, ["a", "b c"]);
    assert_eq!(value(&parsed, None, "b c", "color").as_deref(), Some("#010203"));
    assert_eq!(value(&parsed, Some("@media (max-width: 1px)"), "d", "x").as_deref(), Some("y"));
    assert_eq!(value(&parsed, None, "d", "x"), None);
    assert_eq!((tracks("minmax(8rem, max-content) 1fr"), tracks("1fr"), tracks("repeat(2, 1fr) 2fr 3fr")), (2, 1, 3));
    assert!((contrast([0, 0, 0], WHITE) - 21.0).abs() < 1e-9);
}
