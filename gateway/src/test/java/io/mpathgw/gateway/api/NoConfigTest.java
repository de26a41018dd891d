package io.mpathgw.gateway.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.mpathgw.gateway.testing.Admin.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** No mpathgw.config: the service starts with the real daemon and no portals, and its health says why it is not ready. */
@QuarkusTest
class NoConfigTest {

    @Test
    void startsWithoutPortalsAndSaysSo() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'mpathgw maps' }.data.reason1",
                        equalTo("no portals configured (mpathgw.config is not set)"));
        admin().get("/api/v1/maps").then().statusCode(200).body("", hasSize(0));
        admin().get("/api/v1/sessions").then().statusCode(200).body("", hasSize(0));
        admin().get("/api/v1/health").then().statusCode(200).body("ready", equalTo(false));
        admin().get("/api/v1/config").then().statusCode(200).body(containsString("defaults {"));
        admin().post("/api/v1/paths/sdb/fail").then().statusCode(404).body("error", equalTo("no path named 'sdb'"));
    }
}
