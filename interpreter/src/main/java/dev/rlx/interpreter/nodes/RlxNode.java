package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.TypeSystemReference;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.NodeInfo;
import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;
import dev.rlx.interpreter.ast.Span;

/** Every executable node: evaluates to a value and knows its place in the source. */
@TypeSystemReference(RlxTypes.class)
@NodeInfo(language = "rlx")
public abstract class RlxNode extends Node {
    private int sourceStart = -1;
    private int sourceLength;

    public abstract Object execute(VirtualFrame frame);

    public final <T extends RlxNode> T at(Span span) {
        if (span != null) {
            sourceStart = span.start();
            sourceLength = Math.max(0, span.end() - span.start());
        }
        @SuppressWarnings("unchecked") T self = (T) this;
        return self;
    }

    public final void copySpanFrom(RlxNode other) {
        sourceStart = other.sourceStart;
        sourceLength = other.sourceLength;
    }

    @Override
    @TruffleBoundary
    public SourceSection getSourceSection() {
        if (sourceStart < 0 || getRootNode() == null) {
            return null;
        }
        SourceSection root = getRootNode().getSourceSection();
        if (root == null) {
            return null;
        }
        Source source = root.getSource();
        if (sourceStart + sourceLength > source.getLength()) {
            return null;
        }
        return source.createSection(sourceStart, sourceLength);
    }
}
