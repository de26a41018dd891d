package io.mpathgw.gateway.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mpathgw.gateway.format.Fixtures.issue92;
import static io.mpathgw.gateway.format.Fixtures.netapp;
import static org.assertj.core.api.Assertions.assertThat;

/** multipathd's JSON: the layout of print.c byte for byte (golden file), and that it is JSON with the right values. */
class JsonTopologyTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void mapsJsonLayout() throws Exception {
        String out = JsonTopology.maps(List.of(netapp(), issue92()));
        assertThat(out).isEqualTo(Golden.read("show-maps.json"));

        JsonNode root = json.readTree(out);
        assertThat(root.get("major_version").asInt()).isZero();
        assertThat(root.get("minor_version").asInt()).isEqualTo(1);
        JsonNode a = root.get("maps").get(0);
        assertThat(a.get("name").asText()).isEqualTo("mpatha");
        assertThat(a.get("paths").asInt()).isEqualTo(3);
        assertThat(a.get("features").asText()).isEqualTo("3 queue_if_no_path pg_init_retries 50");
        assertThat(a.get("path_groups")).hasSize(2);
        JsonNode pg2 = a.get("path_groups").get(1);
        assertThat(pg2.get("group").asInt()).isEqualTo(2);
        assertThat(pg2.get("pri").asInt()).isEqualTo(10);
        JsonNode sdd = pg2.get("paths").get(1);
        assertThat(sdd.get("dev").asText()).isEqualTo("sdd");
        assertThat(sdd.get("dm_st").asText()).isEqualTo("failed");
        assertThat(sdd.get("chk_st").asText()).isEqualTo("faulty");
        assertThat(sdd.get("lun_hex").asText()).isEqualTo("0x0000000000000000");
        assertThat(root.get("maps").get(1).get("path_groups").get(0).get("paths")).hasSize(3);
    }

    @Test
    void singleMapJsonLayout() throws Exception {
        String out = JsonTopology.map(issue92());
        assertThat(out).startsWith("{\n   \"major_version\": 0,\n   \"minor_version\": 1,\n   \"map\":{\n      \"name\" : \"mpathb\",\n");
        assertThat(out).endsWith("         }]\n      }]\n   }\n}\n");
        assertThat(json.readTree(out).get("map").get("uuid").asText()).isEqualTo("360050768108101c4a000000000000011");
    }

    @Test
    void noMaps() throws Exception {
        String out = JsonTopology.maps(List.of());
        assertThat(out).isEqualTo("{\n   \"major_version\": 0,\n   \"minor_version\": 1,\n   \"maps\": []\n}\n");
        assertThat(json.readTree(out).get("maps")).isEmpty();
    }

    @Test
    void stringsAreEscaped() {
        assertThat(JsonTopology.escape("a\"b\\c\u0001")).isEqualTo("a\\\"b\\\\c\\u0001");
    }
}
