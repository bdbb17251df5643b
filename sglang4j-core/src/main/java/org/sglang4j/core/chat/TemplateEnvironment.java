package org.sglang4j.core.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.lang.reflect.Method;
import java.time.ZonedDateTime;
import java.util.Map;
import jinjava.javax.el.CompositeELResolver;

/**
 * A jinjava engine set up like Hugging Face's chat-template environment ({@code apply_chat_template}):
 * {@code trim_blocks} and {@code lstrip_blocks} on, undefined names render empty, the globals
 * {@code raise_exception} and {@code strftime_now}, Python's {@code tojson}, and Python string/dict methods.
 */
final class TemplateEnvironment {
    private TemplateEnvironment() {}

    /** Context key holding the render's "now" for {@code strftime_now} (a per-render value, not global state). */
    static final String NOW = "__sglang4j_now";

    static Jinjava create() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withFailOnUnknownTokens(false)
                .withElResolver(resolver)
                .withMaxOutputSize(16L << 20)
                // Behave like Python's Jinja2, which the templates are written for.
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUseNaturalOperatorPrecedence(true)
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .withUsePyishObjectMapper(true)
                        .withKeepNullableLoopValues(true)
                        .withHandleBackslashInQuotesOnly(true)
                        .withDefaultKeepTrailingNewlineBehavior(true)
                        .build())
                .build());
        jinjava.getGlobalContext().registerFunction(function("raise_exception", "raiseException"));
        jinjava.getGlobalContext().registerFunction(function("strftime_now", "strftimeNow"));
        jinjava.getGlobalContext().registerFilter(new ToJson());
        return jinjava;
    }

    private static ELFunctionDefinition function(String name, String method) {
        try {
            Method m = TemplateEnvironment.class.getDeclaredMethod(method, String.class);
            m.setAccessible(true); // jinjava invokes it reflectively from its own package
            return new ELFunctionDefinition("", name, m);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What {@code raise_exception(msg)} throws; its message becomes the request's error. */
    static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) { super(message, null, false, false); }
    }

    static String raiseException(String message) {
        throw new TemplateRaised(message);
    }

    static String strftimeNow(String format) {
        JinjavaInterpreter current = JinjavaInterpreter.getCurrent();
        Object now = current == null ? null : current.getContext().get(NOW);
        return Strftime.format(format, now instanceof ZonedDateTime t ? t : ZonedDateTime.now());
    }

    /** {@code tojson} as transformers defines it: {@code json.dumps(x, ensure_ascii=False, indent=indent)}. */
    static final class ToJson implements Filter {
        @Override
        public String getName() { return "tojson"; }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return PythonJson.dumps(var, args.length > 0 ? Integer.valueOf(args[0]) : null);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indent = kwargs.get("indent");
            if (indent == null && args.length > 0) indent = args[0];
            return PythonJson.dumps(var, indent == null ? null : ((Number) indent).intValue());
        }
    }
}
