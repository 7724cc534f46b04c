/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type * as Types from '../../gql/graphql';

import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type KeywordMatchKind =
  | 'KEYWORD'
  | 'SEMANTIC';

export type KeywordRuleInput = {
  /** Both when omitted. */
  appliesTo?: Array<SenderType> | null | undefined;
  /** Empty means the whole organization; with sub-departments. */
  departmentIds?: Array<string> | null | undefined;
  enabled?: boolean | null | undefined;
  /** Matched as case-insensitive substrings (NFKC: full-width letters too); each 1-100 characters, at most 1,000 per rule and 10,000 per organization. May be empty when semantics are given. */
  keywords: Array<string>;
  /** 1-100 characters. */
  name: string;
  /** Employees told of each alert in their inbox (AUDIT_ALERT). */
  notifyEmployeeIds?: Array<string> | null | undefined;
  semantics?: Array<Semantic> | null | undefined;
  severity?: Severity | null | undefined;
};

export type Semantic =
  | 'BANK_CARD'
  | 'EMAIL'
  | 'PHONE_NUMBER'
  | 'RED_PACKET';

export type SenderType =
  | 'CUSTOMER'
  | 'EMPLOYEE';

export type Severity =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

export type UpdateKeywordRuleInput = {
  id: string;
  /** The whole rule: it replaces the rule’s values. */
  rule: KeywordRuleInput;
};

export type KeywordRuleFieldsFragment = { id: string, name: string, keywords: Array<string>, semantics: Array<Types.Semantic>, appliesTo: Array<Types.SenderType>, severity: Types.Severity, enabled: boolean, createdAt: string, departments: Array<{ id: string, name: string }>, notify: Array<{ id: string, name: string }> };

export type KeywordRulesQueryVariables = Exact<{ [key: string]: never; }>;


export type KeywordRulesQuery = { keywordRules: Array<{ id: string, name: string, keywords: Array<string>, semantics: Array<Types.Semantic>, appliesTo: Array<Types.SenderType>, severity: Types.Severity, enabled: boolean, createdAt: string, departments: Array<{ id: string, name: string }>, notify: Array<{ id: string, name: string }> }> };

export type RuleDepartmentsQueryVariables = Exact<{ [key: string]: never; }>;


export type RuleDepartmentsQuery = { departments: Array<{ id: string, name: string, parent: { id: string } | null }> };

export type CreateKeywordRuleMutationVariables = Exact<{
  input: Types.KeywordRuleInput;
}>;


export type CreateKeywordRuleMutation = { createKeywordRule: { id: string, name: string, keywords: Array<string>, semantics: Array<Types.Semantic>, appliesTo: Array<Types.SenderType>, severity: Types.Severity, enabled: boolean, createdAt: string, departments: Array<{ id: string, name: string }>, notify: Array<{ id: string, name: string }> } };

export type UpdateKeywordRuleMutationVariables = Exact<{
  input: Types.UpdateKeywordRuleInput;
}>;


export type UpdateKeywordRuleMutation = { updateKeywordRule: { id: string, name: string, keywords: Array<string>, semantics: Array<Types.Semantic>, appliesTo: Array<Types.SenderType>, severity: Types.Severity, enabled: boolean, createdAt: string, departments: Array<{ id: string, name: string }>, notify: Array<{ id: string, name: string }> } };

export type DeleteKeywordRuleMutationVariables = Exact<{
  id: string;
}>;


export type DeleteKeywordRuleMutation = { deleteKeywordRule: boolean };

export type TestKeywordRuleQueryVariables = Exact<{
  rule: Types.KeywordRuleInput;
  text: string;
}>;


export type TestKeywordRuleQuery = { testKeywordRule: { matches: boolean, matched: Array<string>, positions: Array<{ kind: Types.KeywordMatchKind, value: string, start: number, end: number }> } };

export const KeywordRuleFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"KeywordRuleFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KeywordRule"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"keywords"}},{"kind":"Field","name":{"kind":"Name","value":"semantics"}},{"kind":"Field","name":{"kind":"Name","value":"appliesTo"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"departments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notify"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<KeywordRuleFieldsFragment, unknown>;
export const KeywordRulesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"KeywordRules"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"keywordRules"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KeywordRuleFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"KeywordRuleFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KeywordRule"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"keywords"}},{"kind":"Field","name":{"kind":"Name","value":"semantics"}},{"kind":"Field","name":{"kind":"Name","value":"appliesTo"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"departments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notify"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<KeywordRulesQuery, KeywordRulesQueryVariables>;
export const RuleDepartmentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RuleDepartments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"departments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"parent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<RuleDepartmentsQuery, RuleDepartmentsQueryVariables>;
export const CreateKeywordRuleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateKeywordRule"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"KeywordRuleInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createKeywordRule"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KeywordRuleFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"KeywordRuleFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KeywordRule"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"keywords"}},{"kind":"Field","name":{"kind":"Name","value":"semantics"}},{"kind":"Field","name":{"kind":"Name","value":"appliesTo"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"departments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notify"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<CreateKeywordRuleMutation, CreateKeywordRuleMutationVariables>;
export const UpdateKeywordRuleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateKeywordRule"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateKeywordRuleInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateKeywordRule"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KeywordRuleFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"KeywordRuleFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KeywordRule"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"keywords"}},{"kind":"Field","name":{"kind":"Name","value":"semantics"}},{"kind":"Field","name":{"kind":"Name","value":"appliesTo"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"departments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notify"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<UpdateKeywordRuleMutation, UpdateKeywordRuleMutationVariables>;
export const DeleteKeywordRuleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteKeywordRule"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteKeywordRule"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteKeywordRuleMutation, DeleteKeywordRuleMutationVariables>;
export const TestKeywordRuleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TestKeywordRule"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"rule"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"KeywordRuleInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"text"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"testKeywordRule"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"rule"},"value":{"kind":"Variable","name":{"kind":"Name","value":"rule"}}},{"kind":"Argument","name":{"kind":"Name","value":"text"},"value":{"kind":"Variable","name":{"kind":"Name","value":"text"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"matches"}},{"kind":"Field","name":{"kind":"Name","value":"matched"}},{"kind":"Field","name":{"kind":"Name","value":"positions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}}]}}]}}]}}]} as unknown as DocumentNode<TestKeywordRuleQuery, TestKeywordRuleQueryVariables>;