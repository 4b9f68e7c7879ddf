/**
 * Allowed values of built-in string fields the OpenAPI schemas leave open, from the API's
 * documented constants (k8s.io/api types.go), by schema type and field. An empty string is
 * left alone: the server reads it as unset and applies the default.
 */
export const BUILTIN_ENUMS: Record<string, Record<string, readonly string[]>> = {
  // core/v1
  V1ContainerPort: { protocol: ['TCP', 'UDP', 'SCTP'] },
  V1ServicePort: { protocol: ['TCP', 'UDP', 'SCTP'] },
  V1ServiceSpec: {
    type: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
    sessionAffinity: ['None', 'ClientIP'],
    externalTrafficPolicy: ['Cluster', 'Local'],
    internalTrafficPolicy: ['Cluster', 'Local'],
    ipFamilyPolicy: ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
    ipFamilies: ['IPv4', 'IPv6'],
  },
  V1Container: { imagePullPolicy: ['Always', 'IfNotPresent', 'Never'], terminationMessagePolicy: ['File', 'FallbackToLogsOnError'] },
  V1EphemeralContainer: { imagePullPolicy: ['Always', 'IfNotPresent', 'Never'], terminationMessagePolicy: ['File', 'FallbackToLogsOnError'] },
  V1PodSpec: {
    restartPolicy: ['Always', 'OnFailure', 'Never'],
    dnsPolicy: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
    preemptionPolicy: ['PreemptLowerPriority', 'Never'],
  },
  V1PodOS: { name: ['linux', 'windows'] },
  V1Toleration: { operator: ['Exists', 'Equal'], effect: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
  V1NodeSelectorRequirement: { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] },
  V1LabelSelectorRequirement: { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
  V1TopologySpreadConstraint: {
    whenUnsatisfiable: ['DoNotSchedule', 'ScheduleAnyway'],
    nodeAffinityPolicy: ['Honor', 'Ignore'],
    nodeTaintsPolicy: ['Honor', 'Ignore'],
  },
  V1HTTPGetAction: { scheme: ['HTTP', 'HTTPS'] },
  V1VolumeMount: { mountPropagation: ['None', 'HostToContainer', 'Bidirectional'], recursiveReadOnly: ['Disabled', 'IfPossible', 'Enabled'] },
  V1HostPathVolumeSource: { type: ['DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'] },
  V1PersistentVolumeClaimSpec: { volumeMode: ['Filesystem', 'Block'], accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] },
  V1PersistentVolumeSpec: {
    volumeMode: ['Filesystem', 'Block'],
    accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
    persistentVolumeReclaimPolicy: ['Retain', 'Recycle', 'Delete'],
  },
  V1SeccompProfile: { type: ['RuntimeDefault', 'Unconfined', 'Localhost'] },
  V1AppArmorProfile: { type: ['RuntimeDefault', 'Unconfined', 'Localhost'] },
  V1SecurityContext: { procMount: ['Default', 'Unmasked'] },
  V1ContainerResizePolicy: { restartPolicy: ['NotRequired', 'RestartContainer'] },
  V1ScopedResourceSelectorRequirement: { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
  // apps/v1
  V1DeploymentStrategy: { type: ['Recreate', 'RollingUpdate'] },
  V1DaemonSetUpdateStrategy: { type: ['RollingUpdate', 'OnDelete'] },
  V1StatefulSetUpdateStrategy: { type: ['RollingUpdate', 'OnDelete'] },
  V1StatefulSetSpec: { podManagementPolicy: ['OrderedReady', 'Parallel'] },
  V1StatefulSetPersistentVolumeClaimRetentionPolicy: { whenDeleted: ['Retain', 'Delete'], whenScaled: ['Retain', 'Delete'] },
  // batch/v1
  V1JobSpec: { completionMode: ['NonIndexed', 'Indexed'], podReplacementPolicy: ['TerminatingOrFailed', 'Failed'] },
  V1CronJobSpec: { concurrencyPolicy: ['Allow', 'Forbid', 'Replace'] },
  V1PodFailurePolicyRule: { action: ['FailJob', 'FailIndex', 'Ignore', 'Count'] },
  V1PodFailurePolicyOnExitCodesRequirement: { operator: ['In', 'NotIn'] },
  // networking.k8s.io/v1
  V1HTTPIngressPath: { pathType: ['Exact', 'Prefix', 'ImplementationSpecific'] },
  V1NetworkPolicySpec: { policyTypes: ['Ingress', 'Egress'] },
  V1NetworkPolicyPort: { protocol: ['TCP', 'UDP', 'SCTP'] },
  // rbac.authorization.k8s.io/v1
  RbacV1Subject: { kind: ['User', 'Group', 'ServiceAccount'] },
  V1RoleRef: { kind: ['Role', 'ClusterRole'] },
  // policy/v1
  V1PodDisruptionBudgetSpec: { unhealthyPodEvictionPolicy: ['IfHealthyBudget', 'AlwaysAllow'] },
  // autoscaling/v2
  V2MetricSpec: { type: ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'] },
  V2MetricTarget: { type: ['Utilization', 'Value', 'AverageValue'] },
  V2HPAScalingRules: { selectPolicy: ['Max', 'Min', 'Disabled'] },
  V2HPAScalingPolicy: { type: ['Pods', 'Percent'] },
  // apiextensions.k8s.io/v1
  V1CustomResourceDefinitionSpec: { scope: ['Namespaced', 'Cluster'] },
  V1CustomResourceConversion: { strategy: ['None', 'Webhook'] },
  // storage.k8s.io/v1
  V1StorageClass: { reclaimPolicy: ['Retain', 'Delete'], volumeBindingMode: ['Immediate', 'WaitForFirstConsumer'] },
};
