/** The Custom::SearchSecurity resource's properties (serverless.yml). */
export interface SearchSecurityProperties {
  /** The domain's endpoint host (Fn::GetAtt SearchDomain.DomainEndpoint). */
  DomainEndpoint: string;
  /** Roles mapped to cryptoviz-dashboard (read only). */
  DashboardRoleArns: string[];
  /** Roles mapped to cryptoviz-scrapper (read and write). */
  ScrapperRoleArns: string[];
}
