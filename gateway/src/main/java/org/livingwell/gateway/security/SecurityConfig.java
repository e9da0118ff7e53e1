package org.livingwell.gateway.security;

import ca.uhn.fhir.context.FhirContext;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.livingwell.gateway.GatewayProperties;
import org.livingwell.gateway.audit.RequestAudit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;

/**
 * SMART Backend Services for partners: the token endpoint ({@code POST /oauth2/token}, Spring Authorization
 * Server, grant {@code client_credentials}, client authentication {@code private_key_jwt} or
 * {@code client_secret_basic}) and its JWKS ({@code /oauth2/jwks}); everything else is a resource server taking
 * the JWTs it issues. Open without a token: {@code /fhir/metadata}, SMART discovery, health. {@code /fhir}
 * needs a token (its scopes are enforced per interaction by SmartScopeInterceptor), {@code /ingest/gp/{ods}}
 * the ingest scope and that practice, {@code /admin} the admin scope.
 */
@Configuration
@EnableWebSecurity
public class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    @Bean
    @Order(1)
    SecurityFilterChain tokenEndpoint(HttpSecurity http, RequestAudit audit) throws Exception {
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        ClientAssertionDecoders assertions = new ClientAssertionDecoders(Clock.systemUTC());
        AuditedTokenResponses responses = new AuditedTokenResponses(audit);
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, configurer -> configurer
                        .clientAuthentication(clients -> clients
                                .authenticationConverters(converters -> converters.add(0, new ClientAssertionConverter()))
                                .authenticationProviders(providers -> providers.forEach(provider -> {
                                    if (provider instanceof JwtClientAssertionAuthenticationProvider jwt) {
                                        jwt.setJwtDecoderFactory(assertions);
                                    }
                                }))
                                .errorResponseHandler(responses::refused))
                        .tokenEndpoint(token -> token.accessTokenResponseHandler(responses::issued)
                                .errorResponseHandler(responses::refused)))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain partnerApi(HttpSecurity http, FhirContext fhirContext, RequestAudit audit, GatewayProperties gateway)
            throws Exception {
        if (!gateway.security().enabled()) {
            log.error("SECURITY IS OFF (gateway.security.enabled=false): anyone reaching this gateway reads and writes"
                    + " the record unaudited. Only for measuring what security costs.");
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .csrf(csrf -> csrf.disable()).build();
        }
        OperationOutcomeErrors errors = new OperationOutcomeErrors(fhirContext, audit);
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/fhir/metadata", "/.well-known/smart-configuration",
                                "/fhir/.well-known/smart-configuration", "/actuator/health/**", "/actuator/info", "/error")
                        .permitAll()
                        .requestMatchers("/admin/**").hasAuthority("SCOPE_" + GatewayScopes.ADMIN)
                        .requestMatchers("/ingest/gp/{practiceOds}/**").access((authentication, request) ->
                                new AuthorizationDecision(Partner.of(authentication.get())
                                        .map(partner -> partner.maySendRegisterOf(request.getVariables().get("practiceOds")))
                                        .orElse(false)))
                        .requestMatchers("/ingest/**").hasAuthority("SCOPE_" + GatewayScopes.GP_REGISTER_WRITE)
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer.bearerTokenResolver(new BearerTokens()).jwt(jwt -> {})
                        .authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .csrf(csrf -> csrf.disable()) // bearer tokens, no cookies: nothing for a forged request to ride on
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    @Bean
    JWKSource<SecurityContext> tokenSigningKeys(GatewayProperties gateway) {
        return new ImmutableJWKSet<>(new JWKSet(TokenSigningKey.load(gateway.dataDir())));
    }

    @Bean
    JwtDecoder accessTokenDecoder(JWKSource<SecurityContext> tokenSigningKeys, GatewayProperties gateway) {
        return new AccessTokenDecoder(OAuth2AuthorizationServerConfiguration.jwtDecoder(tokenSigningKeys),
                gateway.security().issuerUri());
    }

    /** The issuer is taken from each request, so the gateway answers under whatever host name partners use. */
    @Bean
    AuthorizationServerSettings authorizationServerSettings() {
        return AuthorizationServerSettings.builder().build();
    }

    @Bean
    PasswordEncoder clientSecretHashes() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** The partner's organisation and practice grants travel in the token, so a request needs no look-up. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> partnerClaims() {
        return context -> {
            Map<String, Object> settings = context.getRegisteredClient().getClientSettings().getSettings();
            Object organisation = settings.get(PartnerClients.ORGANISATION_SETTING);
            if (organisation instanceof String ods && !ods.isBlank()) {
                context.getClaims().claim(Partner.ORGANISATION_CLAIM, ods);
            }
            if (settings.get(PartnerClients.PRACTICES_SETTING) instanceof List<?> practices && !practices.isEmpty()) {
                context.getClaims().claim(Partner.PRACTICES_CLAIM, practices);
            }
        };
    }

    /**
     * Issued tokens are not kept: they are self-contained JWTs good for five minutes, with no refresh token,
     * so there is nothing to look up later (introspection and revocation answer "inactive").
     */
    @Bean
    OAuth2AuthorizationService noStoredAuthorizations() {
        return new OAuth2AuthorizationService() {
            @Override
            public void save(OAuth2Authorization authorization) {}

            @Override
            public void remove(OAuth2Authorization authorization) {}

            @Override
            public OAuth2Authorization findById(String id) {
                return null;
            }

            @Override
            public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
                return null;
            }
        };
    }
}
