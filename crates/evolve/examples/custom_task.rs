//! Plug in a task of your own: evolve a network that outputs the larger of two inputs.
//!
//! A task is one `impl Task`: its input and output counts, and a function that
//! scores an agent. Run it with `cargo run --release -p sprout-evolve --example custom_task`.

use rand::RngExt;
use sprout_evolve::{Agent, EvalContext, Evaluation, Evolution, Task};
use sprout_genome::NeatConfig;

/// Output max(a, b) for random a, b in [0, 1].
struct Max;

impl Task for Max {
    fn name(&self) -> &str {
        "max"
    }

    fn inputs(&self) -> usize {
        2
    }

    fn outputs(&self) -> usize {
        1
    }

    fn evaluate(&self, agent: &mut dyn Agent, ctx: &mut EvalContext) -> Evaluation {
        // Draw cases from ctx.rng only: that keeps runs reproducible on any
        // number of threads.
        let mut error = 0.0;
        for _ in 0..20 {
            let (a, b): (f64, f64) = (ctx.rng.random(), ctx.rng.random());
            agent.reset();
            error += (agent.act(&[a, b])[0] - a.max(b)).abs();
        }
        Evaluation {
            fitness: 20.0 - error,
            solved: error < 1.0,
            steps: 20,
        }
    }
}

fn main() -> Result<(), sprout_evolve::EvolveError> {
    let neat = NeatConfig {
        add_connection_prob: 0.2,
        ..NeatConfig::default()
    };
    let mut evolution = Evolution::new(&neat, Max.inputs(), Max.outputs(), 1);
    while !evolution.solved() && evolution.generation() < 300 {
        let stats = evolution.step(&neat, &Max)?;
        if stats.generation % 25 == 0 {
            println!(
                "generation {:>3}: best {:.3}",
                stats.generation, stats.best_fitness
            );
        }
    }
    let champion = evolution
        .champion(sprout_evolve::ChampionChoice::BestEver)
        .expect("one generation ran");
    println!(
        "{} after {} generations: fitness {:.3}, {} hidden nodes",
        if evolution.solved() {
            "solved"
        } else {
            "stopped"
        },
        evolution.generation(),
        champion.evaluation.fitness,
        champion.genome.hidden_count()
    );
    Ok(())
}
