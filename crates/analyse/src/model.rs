//! Placeholder: the learned model (hashed n-gram logistic regression).
