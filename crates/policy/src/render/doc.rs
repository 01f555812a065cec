//! A document as both writers see it: sections of blocks of inline text. Nothing here is escaped;
//! escaping is the writers' job.

/// A run of text.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    Text(String),
    Strong(String),
    /// A clause ID, shown so the reader can trace the sentence.
    Clause(String),
    Link {
        text: String,
        href: String,
    },
}

pub type Line = Vec<Inline>;

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Paragraph(Line),
    List(Vec<Line>),
    Quote(Line),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// "2.3"; the heading reads "2.3 Moderation".
    pub number: String,
    pub title: String,
    pub blocks: Vec<Block>,
    pub subsections: Vec<Section>,
}

impl Section {
    pub fn new(number: impl Into<String>, title: impl Into<String>) -> Section {
        Section { number: number.into(), title: title.into(), blocks: Vec::new(), subsections: Vec::new() }
    }

    /// An anchor for links from the contents: `section-2-3`.
    pub fn anchor(&self) -> String {
        format!("section-{}", self.number.replace('.', "-"))
    }

    pub fn heading(&self) -> String {
        // Top-level sections read "1. Purpose and scope" as in the seed; subsections "2.1 Facebook".
        if self.number.contains('.') {
            format!("{} {}", self.number, self.title)
        } else {
            format!("{}. {}", self.number, self.title)
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub title: String,
    pub subtitle: String,
    /// The cover page: label and value.
    pub cover: Vec<(String, String)>,
    pub sections: Vec<Section>,
}

pub fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}
