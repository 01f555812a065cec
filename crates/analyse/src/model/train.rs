//! Training: L2-regularised logistic regression fitted by full-batch gradient descent (Adam steps).
//!
//! Full batch rather than stochastic so that training is deterministic without any random order: the
//! same samples in the same order give the same sums, the same steps and a byte-identical weights
//! file. Sums are in f64 and single-threaded for the same reason.

use super::Model;

/// How to train one model.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The weight table has 2^bits entries.
    pub bits: u8,
    /// L2 penalty on the weights (per average sample).
    pub l2: f64,
    /// Gradient steps over the whole training set.
    pub iterations: u32,
    /// Weigh the classes equally, whatever their share of the data, so the model's prior is not the
    /// training set's (davidson is 83% abusive; a school's comments are not).
    pub balanced: bool,
    /// Probability at which the model's finding counts.
    pub threshold: f32,
}

impl Options {
    /// The defaults for a label, chosen by cross-validation on the training data and by the false
    /// positives on text from elsewhere (abuse on text messages, spam on tweets): thresholds above
    /// one half keep the model quiet on ordinary writing unlike its training set's.
    pub fn for_label(label: crate::Label) -> Options {
        match label {
            crate::Label::Spam => Options { bits: 18, l2: 3e-4, iterations: 300, balanced: true, threshold: 0.6 },
            _ => Options { bits: 18, l2: 1e-4, iterations: 300, balanced: true, threshold: 0.75 },
        }
    }
}

/// Fit a model to samples, each the feature hashes of one text and whether it has the label.
pub fn fit(samples: &[(Vec<u64>, bool)], opts: &Options) -> Model {
    let dims = 1usize << opts.bits;
    let shift = 64 - u32::from(opts.bits);
    let data = Data::new(samples, shift, opts.balanced);
    let mut w = vec![0.0f64; dims];
    let mut bias = data.prior_logit();
    let mut adam = Adam::new(dims);
    let mut grad = vec![0.0f64; dims];
    for step in 1..=opts.iterations {
        grad.fill(0.0);
        let grad_bias = data.gradient(&w, bias, &mut grad);
        for (g, w) in grad.iter_mut().zip(&w) {
            *g += opts.l2 * w;
        }
        adam.step(step, &mut w, &grad, &mut bias, grad_bias);
    }
    Model::quantise(opts.bits, bias, &w, opts.threshold)
}

/// The samples in compressed rows: bucket indexes, a norm and a class weight per sample.
struct Data {
    buckets: Vec<u32>,
    offsets: Vec<usize>,
    norms: Vec<f64>,
    targets: Vec<f64>,
    weights: Vec<f64>,
}

impl Data {
    fn new(samples: &[(Vec<u64>, bool)], shift: u32, balanced: bool) -> Data {
        let positives = samples.iter().filter(|s| s.1).count().max(1) as f64;
        let negatives = samples.iter().filter(|s| !s.1).count().max(1) as f64;
        let total = samples.len().max(1) as f64;
        let mut data =
            Data { buckets: Vec::new(), offsets: vec![0], norms: Vec::new(), targets: Vec::new(), weights: Vec::new() };
        for (hashes, label) in samples {
            data.buckets.extend(hashes.iter().map(|h| (h >> shift) as u32));
            data.offsets.push(data.buckets.len());
            data.norms.push(if hashes.is_empty() { 0.0 } else { 1.0 / (hashes.len() as f64).sqrt() });
            data.targets.push(if *label { 1.0 } else { 0.0 });
            let class_weight = match (balanced, label) {
                (false, _) => 1.0,
                (true, true) => total / (2.0 * positives),
                (true, false) => total / (2.0 * negatives),
            };
            data.weights.push(class_weight / total);
        }
        data
    }

    /// Start the bias at the weighted base rate, so the first steps go to the words.
    fn prior_logit(&self) -> f64 {
        let pos: f64 = self.targets.iter().zip(&self.weights).map(|(t, w)| t * w).sum();
        let all: f64 = self.weights.iter().sum();
        let p = (pos / all.max(f64::MIN_POSITIVE)).clamp(1e-6, 1.0 - 1e-6);
        (p / (1.0 - p)).ln()
    }

    /// Add the gradient of the weighted mean log-loss to `grad`; return the bias's gradient.
    fn gradient(&self, w: &[f64], bias: f64, grad: &mut [f64]) -> f64 {
        let mut grad_bias = 0.0;
        for i in 0..self.norms.len() {
            let row = &self.buckets[self.offsets[i]..self.offsets[i + 1]];
            let z = bias + self.norms[i] * row.iter().map(|&j| w[j as usize]).sum::<f64>();
            let p = 1.0 / (1.0 + (-z).exp());
            let g = self.weights[i] * (p - self.targets[i]);
            grad_bias += g;
            let gx = g * self.norms[i];
            for &j in row {
                grad[j as usize] += gx;
            }
        }
        grad_bias
    }
}

/// Adam with a decaying step: robust to features of very different frequencies.
struct Adam {
    m: Vec<f64>,
    v: Vec<f64>,
    m_bias: f64,
    v_bias: f64,
}

impl Adam {
    const RATE: f64 = 0.05;
    const BETA1: f64 = 0.9;
    const BETA2: f64 = 0.999;
    const EPS: f64 = 1e-8;

    fn new(dims: usize) -> Adam {
        Adam { m: vec![0.0; dims], v: vec![0.0; dims], m_bias: 0.0, v_bias: 0.0 }
    }

    fn step(&mut self, t: u32, w: &mut [f64], grad: &[f64], bias: &mut f64, grad_bias: f64) {
        let t = f64::from(t);
        let rate = Self::RATE / t.sqrt().sqrt() * (1.0 - Self::BETA2.powf(t)).sqrt() / (1.0 - Self::BETA1.powf(t));
        for ((w, g), (m, v)) in w.iter_mut().zip(grad).zip(self.m.iter_mut().zip(self.v.iter_mut())) {
            if *g == 0.0 && *m == 0.0 {
                continue;
            }
            *m = Self::BETA1 * *m + (1.0 - Self::BETA1) * g;
            *v = Self::BETA2 * *v + (1.0 - Self::BETA2) * g * g;
            *w -= rate * *m / (v.sqrt() + Self::EPS);
        }
        self.m_bias = Self::BETA1 * self.m_bias + (1.0 - Self::BETA1) * grad_bias;
        self.v_bias = Self::BETA2 * self.v_bias + (1.0 - Self::BETA2) * grad_bias * grad_bias;
        *bias -= rate * self.m_bias / (self.v_bias.sqrt() + Self::EPS);
    }
}

/// Which of `k` stable folds a row belongs to, from the same hash of its id as
/// [`crate::corpus::is_held_out`]: fold `i` holds the ids whose hash falls in percentiles
/// `100·i/k .. 100·(i+1)/k`.
pub fn fold_of(id: &str, k: u64) -> u64 {
    (0..k).find(|&i| crate::corpus::is_held_out(id, 100 * (i + 1) / k)).unwrap_or(k - 1)
}

/// A confusion count for one label.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
    pub tn: u64,
}

impl Counts {
    pub fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }

    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Vec<(Vec<u64>, bool)> {
        // Feature 1 << 60 marks positives, 2 << 60 negatives, 3 << 60 is noise on both.
        (0..40u64).map(|i| (vec![if i % 2 == 0 { 1 << 60 } else { 2 << 60 }, 3 << 60], i % 2 == 0)).collect()
    }

    #[test]
    fn learns_a_separable_toy_problem() {
        let opts = Options { bits: 8, l2: 1e-4, iterations: 200, balanced: true, threshold: 0.5 };
        let model = fit(&toy(), &opts);
        let bucket = |h: u64| model.weights[(h >> 56) as usize];
        assert!(bucket(1 << 60) > 50, "{}", bucket(1 << 60));
        assert!(bucket(2 << 60) < -50, "{}", bucket(2 << 60));
    }

    #[test]
    fn training_is_deterministic() {
        let opts = Options { bits: 8, l2: 1e-3, iterations: 50, balanced: false, threshold: 0.5 };
        assert_eq!(fit(&toy(), &opts).to_bytes(), fit(&toy(), &opts).to_bytes());
    }

    #[test]
    fn folds_are_stable_and_cover_every_row() {
        let mut sizes = [0; 5];
        for i in 0..5_000 {
            let id = format!("sms-{i}");
            assert_eq!(fold_of(&id, 5), fold_of(&id, 5));
            sizes[fold_of(&id, 5) as usize] += 1;
        }
        assert!(sizes.iter().all(|&n| (800..1200).contains(&n)), "{sizes:?}");
    }

    #[test]
    fn counts_give_precision_recall_f1() {
        let mut c = Counts::default();
        for (p, a) in [(true, true), (true, true), (true, false), (false, true)] {
            c.add(p, a);
        }
        assert!((c.precision() - 2.0 / 3.0).abs() < 1e-9);
        assert!((c.recall() - 2.0 / 3.0).abs() < 1e-9);
        assert!((c.f1() - 2.0 / 3.0).abs() < 1e-9);
    }
}
