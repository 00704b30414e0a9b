package dev.rlx.engine.rl;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Failed prompts waiting to be drawn again: distinct row indices in the order they failed, at most {@code capacity}
 * (the oldest leaves first). A draw takes one out uniformly; a prompt that later succeeds leaves it too, so the
 * buffer holds what the policy has not yet shown it can solve.
 */
final class ReplayBuffer {
    private final int capacity;
    private final List<Integer> items = new ArrayList<>();

    ReplayBuffer(int capacity) {
        this.capacity = capacity;
    }

    void failed(int index) {
        if (items.contains(index)) return;
        if (items.size() == capacity) items.remove(0);
        items.add(index);
    }

    void solved(int index) {
        items.remove((Integer) index);
    }

    int size() {
        return items.size();
    }

    int draw(SplittableRandom rng) {
        return items.remove(rng.nextInt(items.size()));
    }

    JsonArray save() {
        JsonArray out = new JsonArray();
        for (int i : items) out.add(i);
        return out;
    }

    void restore(JsonArray saved) {
        items.clear();
        for (JsonElement e : saved) items.add(e.getAsInt());
    }
}
