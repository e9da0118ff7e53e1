package org.livingwell.gateway.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers {@code 503 Service Unavailable} on {@code /fhir} until the whole gateway is up. Tomcat opens
 * its port before the Camel routes (and so the MLLP listener) have started; without this,
 * {@code /fhir/metadata} would say "ready" a moment before the trust feed can connect.
 */
@Component
public class StartingUpFilter extends OncePerRequestFilter {

    private volatile boolean ready;

    @EventListener(ApplicationReadyEvent.class)
    public void gatewayReady() {
        ready = true;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return ready || !request.getRequestURI().startsWith("/fhir");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Retry-After", "2");
        response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "The gateway is starting");
    }
}
