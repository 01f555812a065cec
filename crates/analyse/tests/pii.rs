//! Personal information through the public API: each kind in the formats people write it, with exact
//! spans, and the numbers and words that only look like it (dates, times, prices, order references,
//! years, "Scunthorpe").

use analyse::label::kind;
use analyse::{Context, Label, Settings, analyse};

fn context() -> &'static Context {
    static CTX: std::sync::OnceLock<Context> = std::sync::OnceLock::new();
    CTX.get_or_init(|| Context::new(Settings::default()).unwrap())
}

/// The personal-information findings that count, as (kind, the words, score).
fn found(text: &str) -> Vec<(String, &str, f32)> {
    analyse(text, context())
        .findings
        .into_iter()
        .filter(|f| f.label == Label::PersonalInfo && f.counts())
        .map(|f| (f.kind.to_string(), &text[f.start..f.end], f.score))
        .collect()
}

/// The words of every counting finding of one kind.
fn spans<'t>(text: &'t str, kind: &str) -> Vec<&'t str> {
    found(text).into_iter().filter(|(k, ..)| k == kind).map(|(_, s, _)| s).collect()
}

fn nothing(text: &str) {
    assert!(found(text).is_empty(), "{text:?}: {:?}", found(text));
}

#[test]
fn the_acceptance_example() {
    let analysis = analyse("ring me on 07700 900 123", context());
    let f = analysis.findings.iter().find(|f| f.kind == kind::PHONE).expect("a phone finding");
    assert_eq!((f.label, f.clause, f.start, f.end), (Label::PersonalInfo, "P2.13", 11, 24));
    assert!(!f.evidence.is_empty());
}

#[test]
fn uk_phone_numbers_in_every_format() {
    for n in [
        "07911 123456",
        "07911123456",
        "07911 123 456",
        "079 1112 3456",
        "+44 7911 123456",
        "+447911123456",
        "+44 (0)7911 123456",
        "0044 7911 123456",
        "0044 20 7946 0123",
        "020 7946 0123",
        "0207 946 0123",
        "(020) 7946 0123",
        "0161 496 0628",
        "0161-496-0628",
        "0161.496.0628",
        "(0161) 4960628",
        "01632 960599",
        "0113 496 0000",
        "0300 123 4567",
        "0800 123 4567",
        "0808 157 0123",
        "0909 879 0123",
        "+44(0)114 496 0645",
        "+44 (0) 161 496 0628",
        "(+44) 7911 123456",
        "+44-7911-123456",
    ] {
        let text = format!("it's {n} ok");
        let hits = found(&text);
        assert_eq!(hits.len(), 1, "{n}: {hits:?}");
        assert_eq!((hits[0].0.as_str(), hits[0].1), (kind::PHONE, n), "{n}");
        assert!(hits[0].2 >= 0.9, "{n} is valid, so scores high: {}", hits[0].2);
    }
}

#[test]
fn phone_numbers_keep_their_extension() {
    assert_eq!(spans("Desk: 0116 496 0493 ext 123, Fax: none", kind::PHONE), ["0116 496 0493 ext 123"]);
    assert_eq!(spans("0161 496 0628 x12 any time", kind::PHONE), ["0161 496 0628 x12"]);
    assert_eq!(spans("0161 496 0628 ext. 4", kind::PHONE), ["0161 496 0628 ext. 4"]);
    assert_eq!(spans("0161 496 0628 extension 44", kind::PHONE), ["0161 496 0628 extension 44"]);
}

#[test]
fn international_phone_numbers() {
    assert_eq!(spans("Appelle-moi au +33 1 23 45 67 89.", kind::PHONE), ["+33 1 23 45 67 89"]);
    assert_eq!(spans("ruf an: +49 30 123456", kind::PHONE), ["+49 30 123456"]);
    assert_eq!(spans("Desk: +1-202-456-1111", kind::PHONE), ["+1-202-456-1111"]);
    assert_eq!(spans("call (202) 456-1111 today", kind::PHONE), ["(202) 456-1111"]);
}

#[test]
fn phone_spans_are_exact_among_emoji_and_other_scripts() {
    let text = "📞07911 123456📞 — Zoë's mum, ☎ +44 20 7946 0123 (حسنًا)";
    assert_eq!(spans(text, kind::PHONE), ["07911 123456", "+44 20 7946 0123"]);
    assert_eq!(spans("телефон:\u{00A0}07911\u{00A0}123456", kind::PHONE), ["07911\u{00A0}123456"]);
    assert_eq!(
        spans("Mobile: 077 0987 7032\\nDesk: (029) 2018 0419", kind::PHONE),
        ["077 0987 7032", "(029) 2018 0419"]
    );
}

#[test]
fn two_numbers_in_a_row_are_two_findings() {
    assert_eq!(spans("07911 123456 07922 654321", kind::PHONE), ["07911 123456", "07922 654321"]);
    assert_eq!(spans("Year 7 07911 123456", kind::PHONE), ["07911 123456"]);
}

#[test]
fn what_is_not_a_phone_number() {
    for text in [
        "born 21/10/2014, back at 10:30",
        "On 1979-12-18 19:55:21.345603 it began",
        "tickets cost £1 234 or $12,345,678",
        "the years 1999 2000 2001 2002 2003",
        "Order no. 01234 567890 has shipped",
        "Your ref: 07911 123456",
        "invoice 0161 496 0628",
        "12345678901",
        "06123 456789",
        "scored 3-0 then 2-1",
        "IP 178.158.174.122 blocked",
        "pi is 3.14159265358979",
        "Scunthorpe 2 Grimsby 1",
        "0161 496 0628th",
    ] {
        assert!(spans(text, kind::PHONE).is_empty(), "{text}: {:?}", found(text));
    }
}

#[test]
fn emails() {
    assert_eq!(spans("email me at zoe.khan+pta@example.co.uk.", kind::EMAIL), ["zoe.khan+pta@example.co.uk"]);
    assert_eq!(spans("(j.o'brien@school.sch.uk)", kind::EMAIL), ["j.o'brien@school.sch.uk"]);
    assert_eq!(spans("✉️zoë@example.com🙂", kind::EMAIL), ["zoë@example.com"]);
    assert_eq!(spans("zoe [at] example [dot] com", kind::EMAIL), ["zoe [at] example [dot] com"]);
    assert_eq!(spans("zoe at gmail dot com", kind::EMAIL), ["zoe at gmail dot com"]);
    for text in ["@darulmadinah thank you", "meet at school.com", "5 @ £3 each", "me@localhost", "a@b.c"] {
        nothing(text);
    }
}

#[test]
fn postcodes_in_every_format() {
    for code in
        ["M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB", "GIR 0AA", "SW1A1AA", "ls1 4ab", "Ls1 4AB"]
    {
        assert_eq!(spans(&format!("we're in {code} now"), kind::POSTCODE), [code], "{code}");
    }
    assert_eq!(spans("postcode: sw1a1aa", kind::POSTCODE), ["sw1a1aa"]);
    assert_eq!(spans("🏠LS1 4AB🏠", kind::POSTCODE), ["LS1 4AB"]);
}

#[test]
fn what_is_not_a_postcode() {
    for text in [
        "see you at 3PM",
        "B4 9AM tomorrow",
        "QA1 1AA",
        "XY1 1AB",
        "M1 1AC",
        "EC1Z 1BB",
        "Scunthorpe and Penistone",
        "http://tl.gd/b245js",
        "#l00py",
        "the Hu27le graphic",
    ] {
        assert!(spans(text, kind::POSTCODE).is_empty(), "{text}: {:?}", found(text));
    }
}

#[test]
fn street_addresses() {
    let cases = [
        ("She lives at 12 High Street, I think", "12 High Street"),
        ("his address: 83 Guildford Rd, EAST HOATHLY", "83 Guildford Rd, EAST HOATHLY"),
        ("at 17 St Omers Road today", "17 St Omers Road"),
        ("12a The Avenue", "12a The Avenue"),
        ("at 5 Acacia Ave.", "5 Acacia Ave"),
        ("7 Kings Cres, Leeds LS1 4AB", "7 Kings Cres, Leeds LS1 4AB"),
        ("Studio 72q\n9 Main Rd\nCAERPHILLY\nL88 9SY is mine", "Studio 72q\n9 Main Rd\nCAERPHILLY\nL88 9SY"),
        ("send it to Rose Cottage, Mill Lane", "Rose Cottage, Mill Lane"),
        ("he lives on Mill Lane.", "Mill Lane"),
        ("write to PO Box 104", "PO Box 104"),
        ("📍 14 Orchard Cl 🏡", "14 Orchard Cl"),
    ];
    for (text, address) in cases {
        assert_eq!(spans(text, kind::ADDRESS), [address], "{text}");
    }
    // Run into a sentence, an address comes part by part; set out in lines, whole.
    assert_eq!(spans("Flat 3, 4 Mill Lane", kind::ADDRESS), ["Flat 3", "4 Mill Lane"]);
    assert_eq!(spans("083 75 Guildford Rd", kind::ADDRESS), ["083", "75 Guildford Rd"]);
    assert_eq!(spans("Flat 3\n4 Mill Lane\nLEEDS\nLS1 4AB", kind::ADDRESS), ["Flat 3\n4 Mill Lane\nLEEDS\nLS1 4AB"]);
    assert_eq!(
        spans("7 73 St Omers Road\\n Studio 40\\n HINDFORD", kind::ADDRESS),
        ["7", "73 St Omers Road", "Studio 40"]
    );
    assert!(spans("lives at 12 High Street", kind::POSTCODE).is_empty());
    assert!(spans("12 High St, LS1 4AB", kind::POSTCODE).is_empty(), "the address takes its postcode");
}

#[test]
fn what_is_not_an_address() {
    for text in [
        "walked 5 miles down the lane",
        "the High Street was busy",
        "Please don't park on Church Road at pick-up",
        "Year 7 Park Road trip",
        "page 12 Green Street",
        "tickets £5 Park Lane",
        "got 2 new road bikes",
        "we went to St Mary's for mass",
        "watched the Wolf of Wall Street",
        "In 2064 Supreme Court hearings",
        "Guilty Pleasures: 5 Musicians Of The 70s",
    ] {
        assert!(spans(text, kind::ADDRESS).is_empty(), "{text}: {:?}", found(text));
    }
}

#[test]
fn card_numbers_and_ibans() {
    assert_eq!(spans("card 4111 1111 1111 1111 exp 12/29", kind::FINANCIAL), ["4111 1111 1111 1111"]);
    assert_eq!(spans("4111-1111-1111-1111", kind::FINANCIAL), ["4111-1111-1111-1111"]);
    assert_eq!(spans("Amex 3782 822463 10005", kind::FINANCIAL), ["3782 822463 10005"]);
    assert_eq!(spans("My card 060465240772 expires soon", kind::FINANCIAL), ["060465240772"]);
    assert_eq!(spans("IBAN: GB29 NWBK 6016 1331 9268 19.", kind::FINANCIAL), ["GB29 NWBK 6016 1331 9268 19"]);
    assert_eq!(spans("DE89370400440532013000", kind::FINANCIAL), ["DE89370400440532013000"]);
    assert_eq!(spans("sort code 20-00-00 account 12345678", kind::FINANCIAL), ["sort code 20-00-00 account 12345678"]);
    for text in [
        "4111 1111 1111 1112",
        "GB29 NWBK 6016 1331 9268 18",
        "order 1234 5678 9012 3456",
        "our sort code is 20-00-00",
        "0000 0000 0000 0000",
    ] {
        assert!(spans(text, kind::FINANCIAL).is_empty(), "{text}: {:?}", found(text));
    }
}

#[test]
fn identity_numbers() {
    assert_eq!(spans("NI number: AB 12 34 56 C", kind::ID_NUMBER), ["AB 12 34 56 C"]);
    assert_eq!(spans("mine is JG103759A ok", kind::ID_NUMBER), ["JG103759A"]);
    assert_eq!(spans("my social security number is ZZ 335693 T", kind::ID_NUMBER), ["ZZ 335693 T"]);
    assert_eq!(spans("NHS number 943 476 5919", kind::ID_NUMBER), ["943 476 5919"]);
    assert_eq!(spans("passport no. 123456789", kind::ID_NUMBER), ["123456789"]);
    assert_eq!(spans("Here's my SSN: 054-28-6917", kind::ID_NUMBER), ["054-28-6917"]);
    for text in ["QQ123456C", "ZZ 33 56 93 T", "NHS number 943 476 5918", "My driver's license number is SK5918033"] {
        assert!(spans(text, kind::ID_NUMBER).is_empty(), "{text}: {:?}", found(text));
    }
}

#[test]
fn a_comment_with_several_kinds() {
    let text = "Mrs Khan, 12 High St, Leeds LS1 4AB. Mob 07911 123456, zoe@example.com, card 4111 1111 1111 1111";
    let kinds: Vec<String> = found(text).into_iter().map(|(k, ..)| k).collect();
    assert_eq!(kinds, [kind::ADDRESS, kind::PHONE, kind::EMAIL, kind::FINANCIAL]);
}

#[test]
fn ordinary_comments_have_none() {
    for text in [
        "Well done to Year 6 on their SATs results! 95% met the standard 🎉",
        "The trip costs £12.50 and leaves at 8:45am on 12/03/2025.",
        "Scunthorpe and Penistone are lovely towns.",
        "We raised £1,234 for charity, thanks to 250 families!",
        "Class 3 won 2-1 against Class 4 in the final.",
        "Term starts on Monday 5 September 2025 at 8.30.",
        "Matthew 5:9 — blessed are the peacemakers",
    ] {
        nothing(text);
    }
}

#[test]
fn a_foreign_street_is_an_address_where_the_text_speaks_of_one() {
    assert_eq!(spans("Please change the address on file. New one: Lena and Storgatan 12", "address"), ["Storgatan 12"]);
    assert_eq!(spans("My address changed, it is now Jens or Nørrevej 4", "address"), ["Nørrevej 4"]);
    // Without a word for an address, a name and a number in a sentence are not one.
    nothing("Lena and Storgatan 12");
}
