//! The stored spellings of the domain's small enums, shared so every enum parses and prints alike.

/// A stored value that is not one of an enum's spellings (a hand-edited row, or a newer version's data).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}")]
pub struct UnknownValue {
    pub what: &'static str,
    pub value: String,
}

/// Implements `Display` and `FromStr` for an enum with `ALL` and `as_str`.
macro_rules! spelled {
    ($ty:ty, $what:literal) => {
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::spelling::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .into_iter()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $crate::spelling::UnknownValue { what: $what, value: s.to_string() })
            }
        }
    };
}

pub(crate) use spelled;
