package io.mpathgw.gateway.testing;

import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/** rest-assured requests as the admin of the test profile (application.properties: %test.mpathgw.admin.password). */
public final class Admin {

    public static final String USER = "admin", PASSWORD = "test-admin-secret";

    private Admin() {
    }

    public static RequestSpecification admin() {
        return given().auth().preemptive().basic(USER, PASSWORD);
    }
}
