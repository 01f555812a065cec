//! Writing evidence text: numbers to two decimals and quoted words, appended to a `String`.
//!
//! Evidence is written for every finding, and a model's finding names five n-grams and their
//! weights. Through `format!` that was half the cost of a model's finding (float formatting with a
//! precision takes the exact, slow path), and nearly a tenth of `gatehouse analyse`'s instructions
//! on tweets.
//! These write the same bytes as `{:.2}`, `{:+.2}` and `{:?}` without the machinery.

use std::fmt::Write;

/// Append `x` as `format!("{x:.2}")` would, or `{x:+.2}` with `plus`.
pub fn push_fixed2(out: &mut String, x: f32, plus: bool) {
    // An f32 times 100 is exact in f64 (24 + 7 bits of mantissa), so rounding it to an integer with
    // ties to even rounds the float's exact decimal value, as the standard library's exact
    // formatting does. Beyond 2^53 that integer would not be exact: leave those to `format!`.
    let hundredths = (f64::from(x) * 100.0).round_ties_even();
    if !x.is_finite() || hundredths.abs() >= 9e15 {
        let _ = if plus { write!(out, "{x:+.2}") } else { write!(out, "{x:.2}") };
        return;
    }
    if x.is_sign_negative() {
        out.push('-');
    } else if plus {
        out.push('+');
    }
    let n = hundredths.abs() as u64;
    out.push_str(itoa::Buffer::new().format(n / 100));
    let cents = n % 100;
    out.push('.');
    out.push(char::from(b'0' + (cents / 10) as u8));
    out.push(char::from(b'0' + (cents % 10) as u8));
}

/// Append `s` quoted, as `format!("{s:?}")` would.
pub fn push_quoted(out: &mut String, s: &str) {
    // Printable ASCII other than the quote and backslash is written as it is; anything else goes
    // the standard way, whose escapes (control characters, Unicode's non-printing ones) we do not
    // repeat here.
    if s.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\') {
        out.reserve(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        let _ = write!(out, "{s:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed2(x: f32, plus: bool) -> String {
        let mut out = String::new();
        push_fixed2(&mut out, x, plus);
        out
    }

    #[test]
    fn two_decimals_as_the_standard_library_writes_them() {
        // Ties in both directions, signed zeros, carries into the units, and the extremes.
        let cases = [
            0.0,
            -0.0,
            0.005,
            0.015,
            0.125,
            0.375,
            -0.125,
            0.995,
            9.995,
            99.995,
            1.0,
            0.1,
            0.01,
            0.004999,
            -0.004,
            0.5,
            123456.78,
            1e20,
            -1e30,
            f32::MAX,
            f32::MIN_POSITIVE,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
        ];
        for x in cases {
            assert_eq!(fixed2(x, false), format!("{x:.2}"), "{x:e}");
            assert_eq!(fixed2(x, true), format!("{x:+.2}"), "{x:e}");
        }
        // Every float from 0 to 2 whose hundredths are a tie or near one, and a spread of the rest.
        let mut bits = 0u32;
        while f32::from_bits(bits) < 2.0 {
            let x = f32::from_bits(bits);
            assert_eq!(fixed2(x, false), format!("{x:.2}"), "{x:e}");
            assert_eq!(fixed2(-x, true), format!("{:+.2}", -x), "{x:e}");
            bits += 997;
        }
    }

    #[test]
    fn quoted_as_debug_writes_it() {
        for s in ["you are", "", "<url>", "say \"hi\"", "back\\slash", "tab\there", "café", "zero\u{200b}width"] {
            let mut out = String::new();
            push_quoted(&mut out, s);
            assert_eq!(out, format!("{s:?}"));
        }
    }
}
