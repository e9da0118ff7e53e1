package org.livingwell.gateway.audit;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Every call of the ingest and admin APIs is audited (see RequestAudit). */
@Configuration
public class WebAuditConfig implements WebMvcConfigurer {

    private final RequestAudit audit;

    public WebAuditConfig(RequestAudit audit) {
        this.audit = audit;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(audit).addPathPatterns("/ingest/**", "/admin/**");
    }
}
