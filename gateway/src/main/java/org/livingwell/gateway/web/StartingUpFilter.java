package org.livingwell.gateway.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers {@code 503 Service Unavailable} on {@code /fhir} until the whole gateway is up. Tomcat opens
 * its port before the Camel routes (and so the MLLP listener) have started; without this,
 * {@code /fhir/metadata} would say "ready" a moment before the trust feed can connect.
 *
 * <p>Before opening up, it asks for the CapabilityStatement once itself: HAPI builds it on the first
 * request (about a second), and the first partner should not wait for that.
 */
@Component
public class StartingUpFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(StartingUpFilter.class);
    private static final String WARM_UP_HEADER = "X-Living-Well-Warm-Up";

    private volatile boolean ready;

    /** First of the ready listeners, so the warm-up does not compete with the work they start. */
    @EventListener(ApplicationReadyEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public void gatewayReady(ApplicationReadyEvent event) {
        if (event.getApplicationContext() instanceof WebServerApplicationContext web) {
            warmUp(web.getWebServer().getPort());
        }
        ready = true;
    }

    private static void warmUp(int port) {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fhir/metadata"))
                    .header(WARM_UP_HEADER, "1").timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException | RuntimeException e) {
            log.warn("Could not warm up the FHIR server's CapabilityStatement: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return ready || !request.getRequestURI().startsWith("/fhir") || isWarmUp(request);
    }

    private static boolean isWarmUp(HttpServletRequest request) {
        return request.getHeader(WARM_UP_HEADER) != null
                && ("127.0.0.1".equals(request.getRemoteAddr()) || "0:0:0:0:0:0:0:1".equals(request.getRemoteAddr()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Retry-After", "2");
        response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "The gateway is starting");
    }
}
