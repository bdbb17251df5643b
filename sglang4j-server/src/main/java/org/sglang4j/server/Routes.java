package org.sglang4j.server;

import java.util.List;
import org.sglang4j.server.generate.GenerateHandler;
import org.sglang4j.server.generate.NativeEndpoints;
import org.sglang4j.server.http.Router;
import org.sglang4j.server.http.Router.Kind;
import org.sglang4j.server.openai.ChatCompletionsHandler;
import org.sglang4j.server.openai.CompletionsHandler;
import org.sglang4j.server.openai.ModelsEndpoint;

/** Every endpoint the server answers, in one table (sglang-engine.md §1.4 and §1.5). */
final class Routes {

    private Routes() {}

    static Router build(ServerContext ctx) {
        NativeEndpoints ops = new NativeEndpoints(ctx);
        GenerateHandler generate = new GenerateHandler(ctx);
        ModelsEndpoint models = new ModelsEndpoint(ctx);
        CompletionsHandler completions = new CompletionsHandler(ctx);
        ChatCompletionsHandler chat = new ChatCompletionsHandler(ctx);
        List<String> getPost = List.of("GET", "POST");
        return new Router()
                // SGLang-native API
                .add(List.of("POST", "PUT"), "/generate", Kind.INFERENCE, generate::handle)
                .get("/health", Kind.HEALTH, ops::health)
                .get("/health_generate", Kind.HEALTH, ops::healthGenerate)
                .get("/get_model_info", Kind.ADMIN, ops::modelInfo)
                .get("/get_server_info", Kind.ADMIN, ops::serverInfo)
                .add(getPost, "/flush_cache", Kind.ADMIN, ops::flushCache)
                .post("/abort_request", Kind.ADMIN, ops::abortRequest)
                .add(getPost, "/open_session", Kind.ADMIN, ops::openSession)
                .add(getPost, "/close_session", Kind.ADMIN, ops::closeSession)
                .get("/metrics", Kind.METRICS, ops::metrics)
                // OpenAI-compatible API
                .get("/v1/models", Kind.ADMIN, models::list)
                .get("/v1/models/{id}", Kind.ADMIN, models::get)
                .post("/v1/completions", Kind.INFERENCE, completions::handle)
                .post("/v1/chat/completions", Kind.INFERENCE, chat::handle);
    }
}
