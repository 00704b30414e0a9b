package dev.rlx.interpreter;

import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.TruffleLanguage;

@TruffleLanguage.Registration(id = RlxLanguage.ID, name = "rlx", version = "0.1.0",
        defaultMimeType = RlxLanguage.MIME, characterMimeTypes = RlxLanguage.MIME)
public final class RlxLanguage extends TruffleLanguage<Object> {
    public static final String ID = "rlx";
    public static final String MIME = "application/x-rlx";

    @Override
    protected Object createContext(Env env) {
        return new Object();
    }

    @Override
    protected CallTarget parse(ParsingRequest request) {
        throw new UnsupportedOperationException("todo");
    }
}
