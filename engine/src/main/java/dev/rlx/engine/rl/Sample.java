package dev.rlx.engine.rl;

import java.util.Map;

/**
 * One completion as a reward function sees it.
 *
 * @param prompt the prompt text
 * @param completion the decoded completion (cut before a stop string)
 * @param tokens the completion's token ids (the stop token included)
 * @param length number of completion tokens
 * @param finishReason "stop" or "length" (max_tokens reached: truncated)
 * @param answer the prompt's answer object
 * @param fields the prompt's other data fields
 * @param group index of the prompt within the step (samples of one prompt share it)
 */
public record Sample(String prompt, String completion, int[] tokens, int length, String finishReason, Object answer,
                     Map<String, Object> fields, int group) {
    public boolean truncated() {
        return "length".equals(finishReason);
    }
}
