package dev.rlx.interpreter;

import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.Option;
import com.oracle.truffle.api.TruffleLanguage;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.frame.VirtualFrame;
import dev.rlx.interpreter.diag.SourceText;
import java.util.Map;
import org.graalvm.options.OptionCategory;
import org.graalvm.options.OptionDescriptors;
import org.graalvm.options.OptionKey;
import org.graalvm.options.OptionStability;

/**
 * The rlx Truffle language. Hosts normally go through {@link dev.rlx.interpreter.api.RlxSession};
 * {@code Context.eval("rlx", source)} also works and returns the loaded module.
 */
@TruffleLanguage.Registration(id = RlxLanguage.ID, name = "rlx", version = RlxLanguage.VERSION,
        defaultMimeType = RlxLanguage.MIME, characterMimeTypes = RlxLanguage.MIME,
        contextPolicy = TruffleLanguage.ContextPolicy.SHARED)
public final class RlxLanguage extends TruffleLanguage<RlxContext> {
    public static final String ID = "rlx";
    public static final String MIME = "application/x-rlx";
    public static final String VERSION = "0.1.0";

    @Option(help = "Maximum depth of nested calls before a 'recursion too deep' error.",
            category = OptionCategory.USER, stability = OptionStability.STABLE)
    static final OptionKey<Integer> MaxDepth = new OptionKey<>(10_000);

    @Override
    protected OptionDescriptors getOptionDescriptors() {
        return new RlxLanguageOptionDescriptors();
    }

    @Override
    protected RlxContext createContext(Env env) {
        return new RlxContext(this, env);
    }

    @Override
    protected CallTarget parse(ParsingRequest request) {
        var source = request.getSource();
        SourceText text = new SourceText(source.getName(), source.getCharacters().toString(), source.getPath());
        RlxLanguage language = this;
        return new RootNode(this) {
            @Override
            public Object execute(VirtualFrame frame) {
                return RlxContext.get(this).loader().loadMain(text, Map.of()).module();
            }
        }.getCallTarget();
    }
}
