package dev.rlx.engine.rl;

import static dev.rlx.engine.rl.RlTrainerTest.plan;
import static dev.rlx.engine.rl.RlTrainerTest.tinyGpt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.tensor.HostArrays;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tensor.TensorScope;
import dev.rlx.engine.tensor.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device-clean steps (no GPU needed): the step scope is opened on the policy's device, every tensor a stage or
 * a script function makes lands in it, and a tensor made anywhere else stops the step with the stage and the
 * field named. On a CPU-only machine "anywhere else" is a different manager tree, which is exactly what would
 * put a tensor on the wrong device when the policy is on a GPU.
 */
class StepDevicesTest {
    @TempDir
    Path tmp;

    @Test
    void everyBatchTensorACreditFunctionSeesIsOnThePolicysDeviceAndInTheStepScope() {
        List<String> seen = new ArrayList<>();
        try (CausalLM policy = tinyGpt()) {
            Device device = policy.manager().getDevice();
            CreditFunction inspecting = b -> {
                TensorScope step = TensorScope.current();
                for (Map.Entry<String, Tensor> e : b.tensorFields().entrySet()) {
                    NDArray a = e.getValue().ndarray();
                    assertEquals(device, a.getDevice(), e.getKey());
                    seen.add(e.getKey());
                }
                // what a script's credit function creates goes to the scope the step opened on the device
                Tensor made = Tensors.zeros(b.size());
                assertEquals(device, made.ndarray().getDevice());
                assertTrue(step.owns(made.ndarray()));
                return RlTrainerTest.GRPO.compute(b);
            };
            RlPlan p = plan(policy, tmp.resolve("run")).credit(inspecting).steps(2).checkpointEvery(0).build();
            RlTrainer.run(p, null).close();
        }
        assertTrue(seen.containsAll(List.of("scores", "mask", "lengths", "truncated", "rewards")), seen.toString());
    }

    @Test
    void aTensorMadeOutsideTheStepScopeStopsTheStepNamingStageAndField() {
        try (CausalLM policy = tinyGpt(); NDManager stray = NDManager.newBaseManager(Device.cpu())) {
            CreditFunction leaky = b -> {
                // returns reach the batch as the credit function made them (advantages get broadcast over the mask)
                long[] bt = b.mask().shape();
                Tensor outside = Tensors.wrap(HostArrays.of(stray, new float[(int) (bt[0] * bt[1])], new Shape(bt)));
                outside.ndarray().attach(stray); // as if made by code that ignored the step's scope
                return new CreditFunction.Credit(RlTrainerTest.GRPO.compute(b).advantages(), outside, null);
            };
            RlPlan p = plan(policy, tmp.resolve("leaky")).credit(leaky).steps(1).checkpointEvery(0).build();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RlTrainer.run(p, null).close());
            assertTrue(e.getMessage().contains("credit stage") && e.getMessage().contains("'returns'"), e.getMessage());
        }
    }

    @Test
    void aScopeOpenedOnADeviceHandsItToScopesInsideIt() {
        try (TensorScope outer = TensorScope.open(Device.cpu())) {
            assertEquals(Device.cpu(), outer.manager().getDevice());
            Tensor kept;
            try (TensorScope inner = TensorScope.open()) {
                assertEquals(Device.cpu(), inner.manager().getDevice());
                Tensor made = Tensors.ones(3);
                assertTrue(inner.owns(made.ndarray()) && outer.owns(made.ndarray()));
                kept = inner.keep(made);
                assertFalse(inner.owns(kept.ndarray()));
            }
            assertTrue(outer.owns(kept.ndarray()));
            try (NDManager other = NDManager.newBaseManager(Device.cpu())) {
                assertFalse(outer.owns(HostArrays.of(other, new float[] {1f}, new Shape(1))));
            }
        }
    }
}
