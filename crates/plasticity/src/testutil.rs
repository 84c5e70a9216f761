//! Numerical helpers used only by the tests: a seeded generator, sample covariance,
//! a Jacobi eigen-solver for small symmetric matrices and a linear solver.

use ndarray::{Array1, Array2};
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

/// The test generator, seeded.
pub fn rng(seed: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed)
}

/// Sample covariance (divided by n − 1) of the rows of `data`.
pub fn covariance(data: &Array2<f64>) -> Array2<f64> {
    let n = data.nrows() as f64;
    let mean = data.mean_axis(ndarray::Axis(0)).unwrap();
    let centred = data - &mean;
    centred.t().dot(&centred) / (n - 1.0)
}

/// Eigenvalues (descending) and unit eigenvectors (as columns, same order) of a
/// symmetric matrix, by cyclic Jacobi rotations.
pub fn symmetric_eigen(a: &Array2<f64>) -> (Array1<f64>, Array2<f64>) {
    let n = a.nrows();
    let mut a = a.clone();
    let mut v = Array2::<f64>::eye(n);
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[[i, j]] * a[[i, j]])
            .sum();
        if off < 1e-24 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[[p, q]].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[[q, q]] - a[[p, p]]) / (2.0 * a[[p, q]]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let akp = a[[k, p]];
                    let akq = a[[k, q]];
                    a[[k, p]] = c * akp - s * akq;
                    a[[k, q]] = s * akp + c * akq;
                }
                for k in 0..n {
                    let apk = a[[p, k]];
                    let aqk = a[[q, k]];
                    a[[p, k]] = c * apk - s * aqk;
                    a[[q, k]] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let vkp = v[[k, p]];
                    let vkq = v[[k, q]];
                    v[[k, p]] = c * vkp - s * vkq;
                    v[[k, q]] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a[[j, j]].total_cmp(&a[[i, i]]));
    let values = Array1::from_iter(order.iter().map(|&i| a[[i, i]]));
    let mut vectors = Array2::zeros((n, n));
    for (col, &i) in order.iter().enumerate() {
        vectors.column_mut(col).assign(&v.column(i));
    }
    (values, vectors)
}

/// Solves `a·x = b` by Gaussian elimination with partial pivoting.
pub fn solve(a: &Array2<f64>, b: &Array1<f64>) -> Array1<f64> {
    let n = a.nrows();
    let mut m = a.clone();
    let mut x = b.clone();
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&i, &j| m[[i, col]].abs().total_cmp(&m[[j, col]].abs()))
            .unwrap();
        for k in 0..n {
            m.swap([col, k], [pivot, k]);
        }
        x.swap(col, pivot);
        for row in col + 1..n {
            let f = m[[row, col]] / m[[col, col]];
            for k in col..n {
                m[[row, k]] -= f * m[[col, k]];
            }
            x[row] -= f * x[col];
        }
    }
    for row in (0..n).rev() {
        let tail: f64 = (row + 1..n).map(|k| m[[row, k]] * x[k]).sum();
        x[row] = (x[row] - tail) / m[[row, row]];
    }
    x
}

#[test]
fn jacobi_diagonalises_a_known_matrix() {
    let a = ndarray::array![[2.0, 1.0], [1.0, 2.0]];
    let (values, vectors) = symmetric_eigen(&a);
    assert!((values[0] - 3.0).abs() < 1e-12 && (values[1] - 1.0).abs() < 1e-12);
    let v0 = vectors.column(0);
    assert!((v0[0].abs() - 0.5f64.sqrt()).abs() < 1e-12);
    assert!((v0[0] - v0[1]).abs() < 1e-12);
}

#[test]
fn solver_inverts_a_known_system() {
    let a = ndarray::array![[0.0, 2.0, 1.0], [1.0, 1.0, 0.0], [3.0, 0.0, 1.0]];
    let x = ndarray::array![1.0, -2.0, 0.5];
    let b = a.dot(&x);
    let got = solve(&a, &b);
    assert!((&got - &x).iter().all(|e| e.abs() < 1e-12));
}
