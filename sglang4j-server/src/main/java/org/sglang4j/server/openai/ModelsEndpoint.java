package org.sglang4j.server.openai;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sglang4j.server.ServerContext;
import org.sglang4j.server.http.ApiException;
import org.sglang4j.server.http.HttpCall;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}}: the one served model. */
public final class ModelsEndpoint {

    private final ServerContext ctx;
    private final long created = System.currentTimeMillis() / 1000;

    public ModelsEndpoint(ServerContext ctx) {
        this.ctx = ctx;
    }

    public void list(HttpCall call) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "list");
        out.put("data", List.of(model()));
        call.sendJson(200, out);
    }

    public void get(HttpCall call) throws IOException {
        String id = call.path().substring("/v1/models/".length());
        if (!id.equals(ctx.servedModelName())) {
            throw ApiException.notFound("The model '" + id + "' does not exist; this server serves '"
                    + ctx.servedModelName() + "'");
        }
        call.sendJson(200, model());
    }

    private Map<String, Object> model() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", ctx.servedModelName());
        m.put("object", "model");
        m.put("created", created);
        m.put("owned_by", "sglang4j");
        m.put("root", ctx.engine().modelInfo().modelPath());
        m.put("max_model_len", ctx.engine().modelInfo().contextLength());
        return m;
    }
}
