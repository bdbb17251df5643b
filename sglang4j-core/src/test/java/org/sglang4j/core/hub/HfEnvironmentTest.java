package org.sglang4j.core.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** huggingface_hub's variable precedence and defaults. */
class HfEnvironmentTest {
    @TempDir Path home;

    @Test
    void defaultsFollowHuggingfaceHub() {
        HfEnvironment env = HfEnvironment.from(Map.of(), home);
        assertThat(env.hubCache()).isEqualTo(home.resolve(".cache/huggingface/hub"));
        assertThat(env.endpoint()).isEqualTo(URI.create("https://huggingface.co"));
        assertThat(env.token()).isNull();
        assertThat(env.offline()).isFalse();
    }

    @Test
    void cacheLocationPrecedence() {
        assertThat(HfEnvironment.from(Map.of("XDG_CACHE_HOME", "/x"), home).hubCache()).isEqualTo(Path.of("/x/huggingface/hub"));
        assertThat(HfEnvironment.from(Map.of("XDG_CACHE_HOME", "/x", "HF_HOME", "/h"), home).hubCache())
                .isEqualTo(Path.of("/h/hub"));
        assertThat(HfEnvironment.from(Map.of("HF_HOME", "/h", "HF_HUB_CACHE", "/c"), home).hubCache())
                .isEqualTo(Path.of("/c"));
    }

    @Test
    void offlineAcceptsTheUsualTruthyValues() {
        for (String v : new String[] {"1", "true", "YES", "on"}) {
            assertThat(HfEnvironment.from(Map.of("HF_HUB_OFFLINE", v), home).offline()).as(v).isTrue();
        }
        for (String v : new String[] {"0", "false", "", "no"}) {
            assertThat(HfEnvironment.from(Map.of("HF_HUB_OFFLINE", v), home).offline()).as(v).isFalse();
        }
    }

    @Test
    void tokenFromVariableElseFromTheLoginFile() throws IOException {
        Path hfHome = Files.createDirectories(home.resolve("hf"));
        Files.writeString(hfHome.resolve("token"), "hf_fromfile\n");
        assertThat(HfEnvironment.from(Map.of("HF_HOME", hfHome.toString()), home).token()).isEqualTo("hf_fromfile");
        assertThat(HfEnvironment.from(Map.of("HF_HOME", hfHome.toString(), "HF_TOKEN", "hf_env"), home).token())
                .isEqualTo("hf_env");
    }

    @Test
    void endpointIsNormalizedAndChecked() {
        assertThat(HfEnvironment.from(Map.of("HF_ENDPOINT", "https://hf-mirror.example/"), home).endpoint())
                .isEqualTo(URI.create("https://hf-mirror.example"));
        assertThatThrownBy(() -> HfEnvironment.from(Map.of("HF_ENDPOINT", "ftp://x"), home))
                .hasMessageContaining("HF_ENDPOINT").hasMessageContaining("ftp://x");
    }
}
