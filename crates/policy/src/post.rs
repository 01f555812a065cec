//! Placeholder: checking a draft post (owned by the integrator).
