package dev.rlx.engine.rl;

import dev.rlx.engine.tensor.Masked;
import dev.rlx.engine.tensor.Tensor;
import java.util.Map;

/** Built-in value losses for a critic. */
public final class ValueLosses {
    private ValueLosses() {}

    /**
     * PPO's clipped value loss: {@code 0.5 * masked_mean(max((V - R)^2, (clip(V, V_old +- eps) - R)^2))};
     * {@code eps <= 0} gives the plain squared error. Logs {@code value_clip_fraction}.
     */
    public static LossFunction clipped(double eps) {
        return b -> {
            Tensor v = b.values();
            Tensor r = b.returns();
            if (r == null) {
                throw new IllegalArgumentException("value loss: the credit function returned no returns for the critic");
            }
            Tensor err = v.sub(r).pow(2.0);
            if (eps <= 0) {
                return new LossFunction.Loss(Masked.mean(err, b.mask(), null).mul(0.5));
            }
            Tensor old = b.oldValues();
            Tensor vc = old.add(v.sub(old).clamp(-eps, eps));
            Tensor errC = vc.sub(r).pow(2.0);
            double frac = Masked.mean(errC.gt(err).toType(dev.rlx.engine.tensor.DType.FLOAT32), b.mask(), null).item();
            return new LossFunction.Loss(Masked.mean(err.maximum(errC), b.mask(), null).mul(0.5),
                    Map.of("value_clip_fraction", frac));
        };
    }
}
