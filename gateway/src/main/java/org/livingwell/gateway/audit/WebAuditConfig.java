package org.livingwell.gateway.audit;

import org.livingwell.gateway.GatewayProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Every call of the ingest and admin APIs is audited (see RequestAudit). */
@Configuration
public class WebAuditConfig implements WebMvcConfigurer {

    private final RequestAudit audit;
    private final boolean securityEnabled;

    public WebAuditConfig(RequestAudit audit, GatewayProperties gateway) {
        this.audit = audit;
        this.securityEnabled = gateway.security().enabled();
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        if (securityEnabled) {
            registry.addInterceptor(audit).addPathPatterns("/ingest/**", "/admin/**");
        }
    }
}
