/**
 * The RL training loop, engine side. The interpreter builds an {@link dev.rlx.engine.rl.RlPlan} from an
 * {@code experiment} and hands it implementations of four small interfaces:
 *
 * <ul>
 *   <li>{@link dev.rlx.engine.rl.PromptSource} — prompts by index (text, answer, other fields);</li>
 *   <li>{@link dev.rlx.engine.rl.RewardEvaluator} — the step's {@link dev.rlx.engine.rl.Sample}s to per-term
 *       values [B][K] with weights (score = weighted sum) and optional dense per-token rewards;</li>
 *   <li>{@link dev.rlx.engine.rl.CreditFunction} — a {@link dev.rlx.engine.rl.Batch} to advantages [B] or
 *       [B,T] (and returns [B,T] for a critic, and the next {@link dev.rlx.engine.rl.CarriedState});</li>
 *   <li>{@link dev.rlx.engine.rl.LossFunction} — a minibatch {@link dev.rlx.engine.rl.Batch} whose
 *       {@code logp} records gradients to a scalar loss plus diagnostics.</li>
 * </ul>
 * Credit and loss run on the training thread inside the step's {@link dev.rlx.engine.tensor.TensorScope}
 * (and the loss inside a {@link dev.rlx.engine.tensor.GradientRecording}): they must use
 * {@link dev.rlx.engine.tensor.Tensor} ops only, must not open scopes they do not close, and must not open
 * another gradient recording. {@link dev.rlx.engine.rl.RlTrainer#run} and
 * {@link dev.rlx.engine.rl.RlTrainer#resume} drive the loop, a step being the stages RolloutStage ->
 * BatchAssembly -> ScoringStage -> CreditStage -> UpdateStage -> StepLog (see RlTrainer's doc); {@link dev.rlx.engine.run.RunFolder} is the run
 * folder layout. A failure in an interface implementation propagates unchanged (after nothing newer than the
 * last checkpoint was written), so the interpreter can attach its .rlx location.
 */
package dev.rlx.engine.rl;
