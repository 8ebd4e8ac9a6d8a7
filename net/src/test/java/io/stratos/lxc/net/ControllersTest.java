package io.stratos.lxc.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of several controllers a client asks, and where it goes when the one asked is gone or stands by. */
class ControllersTest {

    private static final URI A = URI.create("http://10.0.0.1:8181/stratos/router/v1/routes");
    private static final URI B = URI.create("http://10.0.0.2:8181/stratos/router/v1/routes");
    private static final URI C = URI.create("http://10.0.0.3:8181/stratos/router/v1/routes");

    private final Controllers controllers = new Controllers(List.of(A, B, C), url -> URI.create(url).resolve("/stratos/router/v1/routes"));

    @Test
    void theFirstListedIsAskedFirstAndAGoneOneGivesWayToTheNextWrappingAround() {
        assertThat(controllers.current()).isEqualTo(A);

        assertThat(controllers.moveOn(A, null)).isTrue();
        assertThat(controllers.current()).isEqualTo(B);
        controllers.moveOn(B, null);
        controllers.moveOn(C, null);

        assertThat(controllers.current()).isEqualTo(A);
    }

    @Test
    void aStandbyThatNamesTheActiveOneSendsTheClientThere() {
        assertThat(controllers.moveOn(A, "http://10.0.0.3:8181/stratos")).isTrue();

        assertThat(controllers.current()).isEqualTo(C);
    }

    @Test
    void anActiveOneNamedUnderAnAddressNotListedOrNotAUrlMeansTheNext() {
        controllers.moveOn(A, "http://192.0.2.9:8181/stratos");
        assertThat(controllers.current()).isEqualTo(B);

        controllers.moveOn(B, "::not a url::");
        assertThat(controllers.current()).isEqualTo(C);
    }

    @Test
    void aLateFailureOfOneAlreadyLeftOrOneNamingItselfMovesNothing() {
        controllers.moveOn(A, null);

        assertThat(controllers.moveOn(A, null)).isFalse();
        assertThat(controllers.moveOn(B, "http://10.0.0.2:8181")).isFalse();
        assertThat(controllers.current()).isEqualTo(B);
    }

    @Test
    void oneControllerIsAlwaysTheOneAsked() {
        Controllers one = new Controllers(List.of(A), url -> URI.create(url).resolve("/stratos/router/v1/routes"));

        assertThat(one.moveOn(A, null)).isFalse();
        assertThat(one.current()).isEqualTo(A);
        assertThat(controllers.namesOther(A, "http://10.0.0.2:8181")).isTrue();
        assertThat(controllers.namesOther(B, "http://10.0.0.2:8181")).isFalse();
    }
}
