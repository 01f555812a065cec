//! The second factor: TOTP (RFC 6238, SHA-1, 6 digits, 30-second steps — what every authenticator app
//! supports) and the enrolment QR code.

use qrcode::QrCode;
use qrcode::render::svg;
use totp_rs::{Builder, Totp};

/// A fresh 160-bit secret, the size RFC 4226 recommends.
pub fn new_secret() -> Vec<u8> {
    rand::random::<[u8; 20]>().to_vec()
}

/// The TOTP for a secret, labelled for the authenticator app as "issuer: account".
pub fn totp(secret: &[u8], issuer: &str, account: &str) -> Result<Totp, totp_rs::TotpError> {
    // Colons separate issuer and account in otpauth URLs; neither may contain one.
    let clean = |s: &str| s.replace(':', " ");
    Builder::new()
        .with_secret(secret.to_vec())
        .with_issuer(Some(clean(issuer)))
        .with_account_name(clean(account))
        .build()
}

/// Checks a code typed by the user now; returns the matched time step (to refuse its replay).
pub fn check(totp: &Totp, code: &str) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    totp.check_current(&code)
}

/// The secret as base32, grouped in fours for typing into an app by hand.
pub fn secret_text(totp: &Totp) -> String {
    let base32 = totp.secret().to_base32();
    let chars: Vec<char> = base32.trim_end_matches('=').chars().collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// The otpauth URL as an inline SVG QR code (no image request, allowed by the page's CSP).
pub fn qr_svg(totp: &Totp) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let url = totp.to_url()?;
    let code = QrCode::new(url.as_bytes())?;
    let image = code.render::<svg::Color>().min_dimensions(200, 200).quiet_zone(true).build();
    let start = image.find("<svg").ok_or("renderer gave no svg element")?;
    let labelled = image[start..].replacen(
        "<svg ",
        "<svg role=\"img\" aria-label=\"QR code for your authenticator app; the key below holds the same secret\" ",
        1,
    );
    Ok(labelled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_check_and_report_their_step() {
        let totp = totp(&new_secret(), "Gatehouse", "head@school.example").unwrap();
        let code = totp.generate_current();
        let step = check(&totp, &code.to_string()).expect("current code is valid");
        assert!(step > 0);
        assert_eq!(check(&totp, "abcdef"), None);
    }

    #[test]
    fn the_qr_code_is_inline_svg_and_the_secret_is_typeable() {
        let totp = totp(&[7u8; 20], "Gatehouse: Dar ul Madinah", "head@school.example").unwrap();
        let svg = qr_svg(&totp).unwrap();
        assert!(svg.starts_with("<svg role=\"img\""), "{}", &svg[..40]);
        assert!(!svg.contains("<?xml"));
        let text = secret_text(&totp);
        assert_eq!(text.replace(' ', ""), "A4DQOBYHA4DQOBYHA4DQOBYHA4DQOBYH");
    }
}
