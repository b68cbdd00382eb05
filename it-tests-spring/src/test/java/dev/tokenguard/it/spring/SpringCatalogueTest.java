package dev.tokenguard.it.spring;

import dev.tokenguard.it.spring.app.CatalogueApplication;

/** The scenario catalogue and the Spring scenarios against a Spring MVC application (embedded Tomcat). */
class SpringCatalogueTest extends SpringScenarios {
  @Override
  protected Class<?> application() {
    return CatalogueApplication.class;
  }
}
