//! Donation requests (P2.13): appeals for money, for a charity or for a person.
//!
//! Set phrases carry it ("please donate", "sponsor me", "any amount helps", GoFundMe and JustGiving
//! links); weaker words ("donations", "fundraiser", "bank details", "collection for") count only
//! together. Thanks for giving that is over ("thank you to everyone who donated") asks for nothing.

use super::context::{Around, Role};
use super::found::{Found, Item};
use super::source;
use crate::Label;
use crate::lexicon::{Hit, Term};

const THANKS_WITHIN: usize = 5;
const THANKED: f32 = 0.4;

pub(super) fn judge(hit: &Hit, term: &Term, around: &Around, found: &mut Found) {
    let label = Label::DonationRequest;
    let why = ["appeal wording '", &term.text, "' (", source(term), ")"].concat();
    let mut item = Item::new(label, label.as_str(), term.score, (hit.start, hit.end)).key(term.text.clone()).why(why);
    if let Some(t) = around.before(label, Role::Thanks, hit.folded, THANKS_WITHIN) {
        let why = format!("thanks for past giving ('{}')", around.words(&t.cue));
        item.settle(item.score * THANKED, &why);
    }
    found.push(item);
}
