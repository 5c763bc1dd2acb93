
export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[]

export type Database = {
  
  "public": {
          Tables: {
            "achievements": {
                  Row: {
                    "badge_icon": string | null,"created_at": string,"criteria_type": Database["public"]['Enums']["achievement_criteria"],"criteria_value": number,"description": string,"exam_id": string | null,"id": number,"is_active": boolean,"is_hidden": boolean,"name": string,"position": number,"slug": string,"xp_reward": number
                  }
                  ComputedFields: never
                  Insert: {
                    "badge_icon"?: string | null,"created_at"?: string,"criteria_type": Database["public"]['Enums']["achievement_criteria"],"criteria_value": number,"description": string,"exam_id"?: string | null,"id"?: never,"is_active"?: boolean,"is_hidden"?: boolean,"name": string,"position"?: number,"slug": string,"xp_reward"?: number
                  }
                  Update: {
                    "badge_icon"?: string | null,"created_at"?: string,"criteria_type"?: Database["public"]['Enums']["achievement_criteria"],"criteria_value"?: number,"description"?: string,"exam_id"?: string | null,"id"?: never,"is_active"?: boolean,"is_hidden"?: boolean,"name"?: string,"position"?: number,"slug"?: string,"xp_reward"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "achievements_exam_id_fkey"
      columns: ["exam_id"]
isOneToOne: false
      referencedRelation: "exams"
      referencedColumns: ["id"]
    }
                  ]
                },"assignment_recipients": {
                  Row: {
                    "assigned_at": string,"assignment_id": string,"attempt_id": string | null,"attempts": number,"best_score": number | null,"completed_at": string | null,"organization_id": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "assigned_at"?: string,"assignment_id": string,"attempt_id"?: string | null,"attempts"?: number,"best_score"?: number | null,"completed_at"?: string | null,"organization_id": string,"user_id": string
                  }
                  Update: {
                    "assigned_at"?: string,"assignment_id"?: string,"attempt_id"?: string | null,"attempts"?: number,"best_score"?: number | null,"completed_at"?: string | null,"organization_id"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "assignment_recipients_assignment_id_fkey"
      columns: ["assignment_id"]
isOneToOne: false
      referencedRelation: "assignments"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "assignment_recipients_attempt_id_fkey"
      columns: ["attempt_id"]
isOneToOne: false
      referencedRelation: "quiz_attempts"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "assignment_recipients_member_fkey"
      columns: ["organization_id","user_id"]
isOneToOne: false
      referencedRelation: "organization_members"
      referencedColumns: ["organization_id","user_id"]
    }
                  ]
                },"assignments": {
                  Row: {
                    "assignee_user_id": string | null,"created_at": string,"created_by": string | null,"department_id": string | null,"domain_codes": (string)[] | null,"due_at": string,"exam_id": string | null,"id": string,"instructions": string | null,"kind": Database["public"]['Enums']["assignment_kind"],"lesson_id": string | null,"organization_id": string,"pass_mark": number | null,"question_count": number | null,"team_id": string | null,"title": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "assignee_user_id"?: string | null,"created_at"?: string,"created_by"?: string | null,"department_id"?: string | null,"domain_codes"?: (string)[] | null,"due_at": string,"exam_id"?: string | null,"id"?: string,"instructions"?: string | null,"kind"?: Database["public"]['Enums']["assignment_kind"],"lesson_id"?: string | null,"organization_id": string,"pass_mark"?: number | null,"question_count"?: number | null,"team_id"?: string | null,"title": string,"updated_at"?: string
                  }
                  Update: {
                    "assignee_user_id"?: string | null,"created_at"?: string,"created_by"?: string | null,"department_id"?: string | null,"domain_codes"?: (string)[] | null,"due_at"?: string,"exam_id"?: string | null,"id"?: string,"instructions"?: string | null,"kind"?: Database["public"]['Enums']["assignment_kind"],"lesson_id"?: string | null,"organization_id"?: string,"pass_mark"?: number | null,"question_count"?: number | null,"team_id"?: string | null,"title"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "assignments_assignee_fkey"
      columns: ["organization_id","assignee_user_id"]
isOneToOne: false
      referencedRelation: "organization_members"
      referencedColumns: ["organization_id","user_id"]
    },{
      foreignKeyName: "assignments_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "assignments_department_fkey"
      columns: ["department_id","organization_id"]
isOneToOne: false
      referencedRelation: "departments"
      referencedColumns: ["id","organization_id"]
    },{
      foreignKeyName: "assignments_exam_id_fkey"
      columns: ["exam_id"]
isOneToOne: false
      referencedRelation: "exams"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "assignments_lesson_fkey"
      columns: ["lesson_id","organization_id"]
isOneToOne: false
      referencedRelation: "lessons"
      referencedColumns: ["id","organization_id"]
    },{
      foreignKeyName: "assignments_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "assignments_team_fkey"
      columns: ["team_id","organization_id"]
isOneToOne: false
      referencedRelation: "teams"
      referencedColumns: ["id","organization_id"]
    }
                  ]
                },"audit_log": {
                  Row: {
                    "action": string,"actor_id": string | null,"actor_role": string,"changed_columns": (string)[] | null,"db_user": string,"id": number,"new_data": Json | null,"occurred_at": string,"old_data": Json | null,"organization_id": string | null,"record_id": string | null,"table_name": string,"transaction_id": number
                  }
                  ComputedFields: never
                  Insert: {
                    "action": string,"actor_id"?: string | null,"actor_role": string,"changed_columns"?: (string)[] | null,"db_user"?: string,"id"?: never,"new_data"?: Json | null,"occurred_at"?: string,"old_data"?: Json | null,"organization_id"?: string | null,"record_id"?: string | null,"table_name": string,"transaction_id"?: number
                  }
                  Update: {
                    "action"?: string,"actor_id"?: string | null,"actor_role"?: string,"changed_columns"?: (string)[] | null,"db_user"?: string,"id"?: never,"new_data"?: Json | null,"occurred_at"?: string,"old_data"?: Json | null,"organization_id"?: string | null,"record_id"?: string | null,"table_name"?: string,"transaction_id"?: number
                  }
                  Relationships: [
                    
                  ]
                },"avatars": {
                  Row: {
                    "created_at": string,"description": string | null,"id": number,"image_url": string,"is_default": boolean,"name": string,"position": number,"rarity": Database["public"]['Enums']["avatar_rarity"],"required_achievement_id": number | null,"slug": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"description"?: string | null,"id"?: never,"image_url": string,"is_default"?: boolean,"name": string,"position"?: number,"rarity": Database["public"]['Enums']["avatar_rarity"],"required_achievement_id"?: number | null,"slug": string
                  }
                  Update: {
                    "created_at"?: string,"description"?: string | null,"id"?: never,"image_url"?: string,"is_default"?: boolean,"name"?: string,"position"?: number,"rarity"?: Database["public"]['Enums']["avatar_rarity"],"required_achievement_id"?: number | null,"slug"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "avatars_required_achievement_id_fkey"
      columns: ["required_achievement_id"]
isOneToOne: false
      referencedRelation: "achievements"
      referencedColumns: ["id"]
    }
                  ]
                },"bookmarks": {
                  Row: {
                    "created_at": string,"question_id": number,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"question_id": number,"user_id"?: string
                  }
                  Update: {
                    "created_at"?: string,"question_id"?: number,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "bookmarks_question_id_fkey"
      columns: ["question_id"]
isOneToOne: false
      referencedRelation: "questions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "bookmarks_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"department_members": {
                  Row: {
                    "added_at": string,"department_id": string,"organization_id": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "added_at"?: string,"department_id": string,"organization_id": string,"user_id": string
                  }
                  Update: {
                    "added_at"?: string,"department_id"?: string,"organization_id"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "department_members_department_fkey"
      columns: ["department_id","organization_id"]
isOneToOne: false
      referencedRelation: "departments"
      referencedColumns: ["id","organization_id"]
    },{
      foreignKeyName: "department_members_member_fkey"
      columns: ["organization_id","user_id"]
isOneToOne: false
      referencedRelation: "organization_members"
      referencedColumns: ["organization_id","user_id"]
    }
                  ]
                },"departments": {
                  Row: {
                    "created_at": string,"description": string | null,"id": string,"name": string,"organization_id": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"description"?: string | null,"id"?: string,"name": string,"organization_id": string,"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"description"?: string | null,"id"?: string,"name"?: string,"organization_id"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "departments_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    }
                  ]
                },"email_outbox": {
                  Row: {
                    "attempts": number,"created_at": string,"id": number,"idempotency_key": string,"kind": Database["public"]['Enums']["email_kind"],"last_error": string | null,"max_attempts": number,"next_attempt_at": string,"notification_id": number | null,"provider_message_id": string | null,"recipient": string,"sent_at": string | null,"status": Database["public"]['Enums']["email_status"],"template": string,"template_data": NonNullable<Json>,"updated_at": string,"user_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "attempts"?: number,"created_at"?: string,"id"?: never,"idempotency_key": string,"kind": Database["public"]['Enums']["email_kind"],"last_error"?: string | null,"max_attempts"?: number,"next_attempt_at"?: string,"notification_id"?: number | null,"provider_message_id"?: string | null,"recipient": string,"sent_at"?: string | null,"status"?: Database["public"]['Enums']["email_status"],"template": string,"template_data"?: NonNullable<Json>,"updated_at"?: string,"user_id"?: string | null
                  }
                  Update: {
                    "attempts"?: number,"created_at"?: string,"id"?: never,"idempotency_key"?: string,"kind"?: Database["public"]['Enums']["email_kind"],"last_error"?: string | null,"max_attempts"?: number,"next_attempt_at"?: string,"notification_id"?: number | null,"provider_message_id"?: string | null,"recipient"?: string,"sent_at"?: string | null,"status"?: Database["public"]['Enums']["email_status"],"template"?: string,"template_data"?: NonNullable<Json>,"updated_at"?: string,"user_id"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "email_outbox_notification_id_fkey"
      columns: ["notification_id"]
isOneToOne: false
      referencedRelation: "notifications"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "email_outbox_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"exam_domains": {
                  Row: {
                    "code": string,"exam_id": string,"id": number,"name": string,"position": number,"weight": number
                  }
                  ComputedFields: never
                  Insert: {
                    "code": string,"exam_id": string,"id"?: never,"name": string,"position"?: number,"weight": number
                  }
                  Update: {
                    "code"?: string,"exam_id"?: string,"id"?: never,"name"?: string,"position"?: number,"weight"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "exam_domains_exam_id_fkey"
      columns: ["exam_id"]
isOneToOne: false
      referencedRelation: "exams"
      referencedColumns: ["id"]
    }
                  ]
                },"exams": {
                  Row: {
                    "code": string,"created_at": string,"description": string | null,"id": string,"is_active": boolean,"name": string,"passing_percent": number,"position": number,"seconds_per_question": number,"updated_at": string,"vendor": string
                  }
                  ComputedFields: never
                  Insert: {
                    "code": string,"created_at"?: string,"description"?: string | null,"id": string,"is_active"?: boolean,"name": string,"passing_percent"?: number,"position"?: number,"seconds_per_question"?: number,"updated_at"?: string,"vendor"?: string
                  }
                  Update: {
                    "code"?: string,"created_at"?: string,"description"?: string | null,"id"?: string,"is_active"?: boolean,"name"?: string,"passing_percent"?: number,"position"?: number,"seconds_per_question"?: number,"updated_at"?: string,"vendor"?: string
                  }
                  Relationships: [
                    
                  ]
                },"follows": {
                  Row: {
                    "created_at": string,"followee_id": string,"follower_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"followee_id": string,"follower_id"?: string
                  }
                  Update: {
                    "created_at"?: string,"followee_id"?: string,"follower_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "follows_followee_id_fkey"
      columns: ["followee_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "follows_follower_id_fkey"
      columns: ["follower_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"learner_exam_stats": {
                  Row: {
                    "best_score": number | null,"correct_answers": number,"exam_id": string,"last_submitted_at": string | null,"qualifying_quizzes": number,"questions_answered": number,"quizzes_completed": number,"score_sum": number,"user_id": string,"xp_earned": number
                  }
                  ComputedFields: never
                  Insert: {
                    "best_score"?: number | null,"correct_answers"?: number,"exam_id": string,"last_submitted_at"?: string | null,"qualifying_quizzes"?: number,"questions_answered"?: number,"quizzes_completed"?: number,"score_sum"?: number,"user_id": string,"xp_earned"?: number
                  }
                  Update: {
                    "best_score"?: number | null,"correct_answers"?: number,"exam_id"?: string,"last_submitted_at"?: string | null,"qualifying_quizzes"?: number,"questions_answered"?: number,"quizzes_completed"?: number,"score_sum"?: number,"user_id"?: string,"xp_earned"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "learner_exam_stats_exam_id_fkey"
      columns: ["exam_id"]
isOneToOne: false
      referencedRelation: "exams"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "learner_exam_stats_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"lesson_comments": {
                  Row: {
                    "author_id": string | null,"body": string,"created_at": string,"id": number,"lesson_id": string,"organization_id": string,"version": number
                  }
                  ComputedFields: never
                  Insert: {
                    "author_id"?: string | null,"body": string,"created_at"?: string,"id"?: never,"lesson_id": string,"organization_id": string,"version": number
                  }
                  Update: {
                    "author_id"?: string | null,"body"?: string,"created_at"?: string,"id"?: never,"lesson_id"?: string,"organization_id"?: string,"version"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "lesson_comments_author_id_fkey"
      columns: ["author_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "lesson_comments_version_fkey"
      columns: ["lesson_id","version"]
isOneToOne: false
      referencedRelation: "lesson_versions"
      referencedColumns: ["lesson_id","version"]
    }
                  ]
                },"lesson_completions": {
                  Row: {
                    "completed_at": string,"lesson_id": string,"lesson_version": number,"organization_id": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "completed_at"?: string,"lesson_id": string,"lesson_version": number,"organization_id": string,"user_id": string
                  }
                  Update: {
                    "completed_at"?: string,"lesson_id"?: string,"lesson_version"?: number,"organization_id"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "lesson_completions_lesson_fkey"
      columns: ["lesson_id","organization_id"]
isOneToOne: false
      referencedRelation: "lessons"
      referencedColumns: ["id","organization_id"]
    },{
      foreignKeyName: "lesson_completions_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"lesson_versions": {
                  Row: {
                    "body": string,"change_summary": string | null,"created_at": string,"created_by": string | null,"lesson_id": string,"organization_id": string,"published_at": string | null,"reviewed_at": string | null,"reviewed_by": string | null,"status": Database["public"]['Enums']["lesson_status"],"submitted_at": string | null,"title": string,"updated_at": string,"version": number
                  }
                  ComputedFields: never
                  Insert: {
                    "body": string,"change_summary"?: string | null,"created_at"?: string,"created_by"?: string | null,"lesson_id": string,"organization_id": string,"published_at"?: string | null,"reviewed_at"?: string | null,"reviewed_by"?: string | null,"status"?: Database["public"]['Enums']["lesson_status"],"submitted_at"?: string | null,"title": string,"updated_at"?: string,"version": number
                  }
                  Update: {
                    "body"?: string,"change_summary"?: string | null,"created_at"?: string,"created_by"?: string | null,"lesson_id"?: string,"organization_id"?: string,"published_at"?: string | null,"reviewed_at"?: string | null,"reviewed_by"?: string | null,"status"?: Database["public"]['Enums']["lesson_status"],"submitted_at"?: string | null,"title"?: string,"updated_at"?: string,"version"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "lesson_versions_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "lesson_versions_lesson_fkey"
      columns: ["lesson_id","organization_id"]
isOneToOne: false
      referencedRelation: "lessons"
      referencedColumns: ["id","organization_id"]
    },{
      foreignKeyName: "lesson_versions_reviewed_by_fkey"
      columns: ["reviewed_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"lessons": {
                  Row: {
                    "created_at": string,"created_by": string | null,"exam_id": string | null,"id": string,"latest_version": number,"organization_id": string,"published_version": number | null,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"created_by"?: string | null,"exam_id"?: string | null,"id"?: string,"latest_version"?: number,"organization_id": string,"published_version"?: number | null,"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"created_by"?: string | null,"exam_id"?: string | null,"id"?: string,"latest_version"?: number,"organization_id"?: string,"published_version"?: number | null,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "lessons_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "lessons_exam_id_fkey"
      columns: ["exam_id"]
isOneToOne: false
      referencedRelation: "exams"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "lessons_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    }
                  ]
                },"memories": {
                  Row: {
                    "access_count": number,"category": string,"content": string,"context": NonNullable<Json>,"created_at": string,"expires_at": string | null,"id": string,"importance": number,"last_accessed_at": string | null,"search": unknown,"source": string,"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "access_count"?: number,"category"?: string,"content": string,"context"?: NonNullable<Json>,"created_at"?: string,"expires_at"?: string | null,"id"?: string,"importance"?: number,"last_accessed_at"?: string | null,"search"?: never,"source"?: string,"updated_at"?: string,"user_id"?: string
                  }
                  Update: {
                    "access_count"?: number,"category"?: string,"content"?: string,"context"?: NonNullable<Json>,"created_at"?: string,"expires_at"?: string | null,"id"?: string,"importance"?: number,"last_accessed_at"?: string | null,"search"?: never,"source"?: string,"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "memories_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"notifications": {
                  Row: {
                    "body": string | null,"created_at": string,"data": NonNullable<Json>,"dedupe_key": string | null,"id": number,"read_at": string | null,"title": string,"type": Database["public"]['Enums']["notification_type"],"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "body"?: string | null,"created_at"?: string,"data"?: NonNullable<Json>,"dedupe_key"?: string | null,"id"?: never,"read_at"?: string | null,"title": string,"type": Database["public"]['Enums']["notification_type"],"user_id": string
                  }
                  Update: {
                    "body"?: string | null,"created_at"?: string,"data"?: NonNullable<Json>,"dedupe_key"?: string | null,"id"?: never,"read_at"?: string | null,"title"?: string,"type"?: Database["public"]['Enums']["notification_type"],"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "notifications_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"organization_invitations": {
                  Row: {
                    "created_at": string,"email": string | null,"expires_at": string,"id": string,"invited_by": string | null,"organization_id": string,"responded_at": string | null,"responded_by": string | null,"role": Database["public"]['Enums']["org_role"],"status": Database["public"]['Enums']["invitation_status"],"token_hash": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"email"?: string | null,"expires_at": string,"id"?: string,"invited_by"?: string | null,"organization_id": string,"responded_at"?: string | null,"responded_by"?: string | null,"role"?: Database["public"]['Enums']["org_role"],"status"?: Database["public"]['Enums']["invitation_status"],"token_hash"?: string | null
                  }
                  Update: {
                    "created_at"?: string,"email"?: string | null,"expires_at"?: string,"id"?: string,"invited_by"?: string | null,"organization_id"?: string,"responded_at"?: string | null,"responded_by"?: string | null,"role"?: Database["public"]['Enums']["org_role"],"status"?: Database["public"]['Enums']["invitation_status"],"token_hash"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "organization_invitations_invited_by_fkey"
      columns: ["invited_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "organization_invitations_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "organization_invitations_responded_by_fkey"
      columns: ["responded_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"organization_members": {
                  Row: {
                    "joined_at": string,"organization_id": string,"role": Database["public"]['Enums']["org_role"],"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "joined_at"?: string,"organization_id": string,"role"?: Database["public"]['Enums']["org_role"],"user_id": string
                  }
                  Update: {
                    "joined_at"?: string,"organization_id"?: string,"role"?: Database["public"]['Enums']["org_role"],"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "organization_members_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "organization_members_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"organizations": {
                  Row: {
                    "created_at": string,"created_by": string | null,"description": string | null,"id": string,"name": string,"slug": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"created_by"?: string | null,"description"?: string | null,"id"?: string,"name": string,"slug": string,"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"created_by"?: string | null,"description"?: string | null,"id"?: string,"name"?: string,"slug"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "organizations_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"profiles": {
                  Row: {
                    "bio": string | null,"correct_answers": number,"created_at": string,"current_streak": number,"display_name": string,"first_correct_answers": number,"high_score_quizzes": number,"id": string,"last_activity_at": string | null,"last_activity_date": string | null,"level": number,"longest_streak": number,"pending_time_zone": string | null,"pending_time_zone_from": string | null,"perfect_quizzes": number,"photo_path": string | null,"profile_visibility": Database["public"]['Enums']["profile_visibility"],"questions_answered": number,"quizzes_completed": number,"selected_avatar_id": number | null,"show_on_leaderboards": boolean,"streak_time_zone": string,"time_zone": string,"updated_at": string,"username": string,"xp": number
                  }
                  ComputedFields: never
                  Insert: {
                    "bio"?: string | null,"correct_answers"?: number,"created_at"?: string,"current_streak"?: number,"display_name": string,"first_correct_answers"?: number,"high_score_quizzes"?: number,"id": string,"last_activity_at"?: string | null,"last_activity_date"?: string | null,"level"?: number,"longest_streak"?: number,"pending_time_zone"?: string | null,"pending_time_zone_from"?: string | null,"perfect_quizzes"?: number,"photo_path"?: string | null,"profile_visibility"?: Database["public"]['Enums']["profile_visibility"],"questions_answered"?: number,"quizzes_completed"?: number,"selected_avatar_id"?: number | null,"show_on_leaderboards"?: boolean,"streak_time_zone"?: string,"time_zone"?: string,"updated_at"?: string,"username": string,"xp"?: number
                  }
                  Update: {
                    "bio"?: string | null,"correct_answers"?: number,"created_at"?: string,"current_streak"?: number,"display_name"?: string,"first_correct_answers"?: number,"high_score_quizzes"?: number,"id"?: string,"last_activity_at"?: string | null,"last_activity_date"?: string | null,"level"?: number,"longest_streak"?: number,"pending_time_zone"?: string | null,"pending_time_zone_from"?: string | null,"perfect_quizzes"?: number,"photo_path"?: string | null,"profile_visibility"?: Database["public"]['Enums']["profile_visibility"],"questions_answered"?: number,"quizzes_completed"?: number,"selected_avatar_id"?: number | null,"show_on_leaderboards"?: boolean,"streak_time_zone"?: string,"time_zone"?: string,"updated_at"?: string,"username"?: string,"xp"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "profiles_selected_avatar_id_fkey"
      columns: ["selected_avatar_id"]
isOneToOne: false
      referencedRelation: "avatars"
      referencedColumns: ["id"]
    }
                  ]
                },"question_keys": {
                  Row: {
                    "correct_answer": string,"explanations": NonNullable<Json>,"question_id": number,"reference": string | null,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "correct_answer": string,"explanations": NonNullable<Json>,"question_id": number,"reference"?: string | null,"updated_at"?: string
                  }
                  Update: {
                    "correct_answer"?: string,"explanations"?: NonNullable<Json>,"question_id"?: number,"reference"?: string | null,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "question_keys_question_id_fkey"
      columns: ["question_id"]
isOneToOne: true
      referencedRelation: "questions"
      referencedColumns: ["id"]
    }
                  ]
                },"question_notes": {
                  Row: {
                    "body": string,"created_at": string,"id": number,"question_id": number,"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "body": string,"created_at"?: string,"id"?: never,"question_id": number,"updated_at"?: string,"user_id"?: string
                  }
                  Update: {
                    "body"?: string,"created_at"?: string,"id"?: never,"question_id"?: number,"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "question_notes_question_id_fkey"
      columns: ["question_id"]
isOneToOne: false
      referencedRelation: "questions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "question_notes_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"question_reports": {
                  Row: {
                    "created_at": string,"details": string | null,"id": number,"moderator_id": string | null,"moderator_note": string | null,"organization_id": string | null,"question_id": number,"reason": Database["public"]['Enums']["report_reason"],"reporter_id": string,"resolved_at": string | null,"status": Database["public"]['Enums']["report_status"]
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"details"?: string | null,"id"?: never,"moderator_id"?: string | null,"moderator_note"?: string | null,"organization_id"?: string | null,"question_id": number,"reason": Database["public"]['Enums']["report_reason"],"reporter_id"?: string,"resolved_at"?: string | null,"status"?: Database["public"]['Enums']["report_status"]
                  }
                  Update: {
                    "created_at"?: string,"details"?: string | null,"id"?: never,"moderator_id"?: string | null,"moderator_note"?: string | null,"organization_id"?: string | null,"question_id"?: number,"reason"?: Database["public"]['Enums']["report_reason"],"reporter_id"?: string,"resolved_at"?: string | null,"status"?: Database["public"]['Enums']["report_status"]
                  }
                  Relationships: [
                    {
      foreignKeyName: "question_reports_moderator_id_fkey"
      columns: ["moderator_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "question_reports_question_id_fkey"
      columns: ["question_id"]
isOneToOne: false
      referencedRelation: "questions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "question_reports_reporter_id_fkey"
      columns: ["reporter_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"question_versions": {
                  Row: {
                    "edited_at": string,"edited_by": string | null,"organization_id": string | null,"question_id": number,"snapshot": NonNullable<Json>,"version": number
                  }
                  ComputedFields: never
                  Insert: {
                    "edited_at"?: string,"edited_by"?: string | null,"organization_id"?: string | null,"question_id": number,"snapshot": NonNullable<Json>,"version": number
                  }
                  Update: {
                    "edited_at"?: string,"edited_by"?: string | null,"organization_id"?: string | null,"question_id"?: number,"snapshot"?: NonNullable<Json>,"version"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "question_versions_edited_by_fkey"
      columns: ["edited_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "question_versions_question_id_fkey"
      columns: ["question_id"]
isOneToOne: false
      referencedRelation: "questions"
      referencedColumns: ["id"]
    }
                  ]
                },"questions": {
                  Row: {
                    "answer_count": number,"correct_count": number,"created_at": string,"created_by": string | null,"difficulty": number | null,"difficulty_level": string | null,"domain_id": number,"exam_id": string,"id": number,"options": NonNullable<Json>,"organization_id": string | null,"status": Database["public"]['Enums']["question_status"],"stem": string,"updated_at": string,"updated_by": string | null,"version": number
                  }
                  ComputedFields: never
                  Insert: {
                    "answer_count"?: number,"correct_count"?: number,"created_at"?: string,"created_by"?: string | null,"difficulty"?: never,"difficulty_level"?: never,"domain_id": number,"exam_id": string,"id"?: never,"options": NonNullable<Json>,"organization_id"?: string | null,"status"?: Database["public"]['Enums']["question_status"],"stem": string,"updated_at"?: string,"updated_by"?: string | null,"version"?: number
                  }
                  Update: {
                    "answer_count"?: number,"correct_count"?: number,"created_at"?: string,"created_by"?: string | null,"difficulty"?: never,"difficulty_level"?: never,"domain_id"?: number,"exam_id"?: string,"id"?: never,"options"?: NonNullable<Json>,"organization_id"?: string | null,"status"?: Database["public"]['Enums']["question_status"],"stem"?: string,"updated_at"?: string,"updated_by"?: string | null,"version"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "questions_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "questions_domain_fkey"
      columns: ["domain_id","exam_id"]
isOneToOne: false
      referencedRelation: "exam_domains"
      referencedColumns: ["id","exam_id"]
    },{
      foreignKeyName: "questions_exam_id_fkey"
      columns: ["exam_id"]
isOneToOne: false
      referencedRelation: "exams"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "questions_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "questions_updated_by_fkey"
      columns: ["updated_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"quiz_attempt_items": {
                  Row: {
                    "attempt_id": string,"domain_id": number,"exam_id": string,"graded_at": string | null,"is_correct": boolean | null,"key_exposed": boolean,"position": number,"question_id": number,"question_version": number,"selected_answer": string | null,"time_spent_seconds": number | null,"user_id": string,"xp_awarded": number | null,"xp_rule": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "attempt_id": string,"domain_id": number,"exam_id": string,"graded_at"?: string | null,"is_correct"?: boolean | null,"key_exposed"?: boolean,"position": number,"question_id": number,"question_version": number,"selected_answer"?: string | null,"time_spent_seconds"?: number | null,"user_id": string,"xp_awarded"?: number | null,"xp_rule"?: string | null
                  }
                  Update: {
                    "attempt_id"?: string,"domain_id"?: number,"exam_id"?: string,"graded_at"?: string | null,"is_correct"?: boolean | null,"key_exposed"?: boolean,"position"?: number,"question_id"?: number,"question_version"?: number,"selected_answer"?: string | null,"time_spent_seconds"?: number | null,"user_id"?: string,"xp_awarded"?: number | null,"xp_rule"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "quiz_attempt_items_attempt_id_fkey"
      columns: ["attempt_id"]
isOneToOne: false
      referencedRelation: "quiz_attempts"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "quiz_attempt_items_domain_id_fkey"
      columns: ["domain_id"]
isOneToOne: false
      referencedRelation: "exam_domains"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "quiz_attempt_items_question_id_fkey"
      columns: ["question_id"]
isOneToOne: false
      referencedRelation: "questions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "quiz_attempt_items_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"quiz_attempts": {
                  Row: {
                    "auto_submitted": boolean,"correct_count": number | null,"domain_codes": (string)[] | null,"exam_id": string,"expires_at": string | null,"id": string,"mode": Database["public"]['Enums']["quiz_mode"],"organization_id": string | null,"question_count": number,"score_percentage": number | null,"started_at": string,"status": Database["public"]['Enums']["attempt_status"],"submitted_at": string | null,"time_limit_seconds": number | null,"time_taken_seconds": number | null,"user_id": string,"xp_earned": number | null
                  }
                  ComputedFields: never
                  Insert: {
                    "auto_submitted"?: boolean,"correct_count"?: number | null,"domain_codes"?: (string)[] | null,"exam_id": string,"expires_at"?: string | null,"id"?: string,"mode"?: Database["public"]['Enums']["quiz_mode"],"organization_id"?: string | null,"question_count": number,"score_percentage"?: number | null,"started_at"?: string,"status"?: Database["public"]['Enums']["attempt_status"],"submitted_at"?: string | null,"time_limit_seconds"?: number | null,"time_taken_seconds"?: number | null,"user_id": string,"xp_earned"?: number | null
                  }
                  Update: {
                    "auto_submitted"?: boolean,"correct_count"?: number | null,"domain_codes"?: (string)[] | null,"exam_id"?: string,"expires_at"?: string | null,"id"?: string,"mode"?: Database["public"]['Enums']["quiz_mode"],"organization_id"?: string | null,"question_count"?: number,"score_percentage"?: number | null,"started_at"?: string,"status"?: Database["public"]['Enums']["attempt_status"],"submitted_at"?: string | null,"time_limit_seconds"?: number | null,"time_taken_seconds"?: number | null,"user_id"?: string,"xp_earned"?: number | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "quiz_attempts_exam_id_fkey"
      columns: ["exam_id"]
isOneToOne: false
      referencedRelation: "exams"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "quiz_attempts_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "quiz_attempts_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"review_cards": {
                  Row: {
                    "created_at": string,"due_at": string,"easiness": number,"interval_days": number,"lapses": number,"last_grade": number | null,"last_reviewed_at": string | null,"question_id": number,"repetitions": number,"reviews": number,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"due_at": string,"easiness"?: number,"interval_days"?: number,"lapses"?: number,"last_grade"?: number | null,"last_reviewed_at"?: string | null,"question_id": number,"repetitions"?: number,"reviews"?: number,"user_id": string
                  }
                  Update: {
                    "created_at"?: string,"due_at"?: string,"easiness"?: number,"interval_days"?: number,"lapses"?: number,"last_grade"?: number | null,"last_reviewed_at"?: string | null,"question_id"?: number,"repetitions"?: number,"reviews"?: number,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "review_cards_question_id_fkey"
      columns: ["question_id"]
isOneToOne: false
      referencedRelation: "questions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "review_cards_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"study_set_items": {
                  Row: {
                    "added_at": string,"position": number,"question_id": number,"study_set_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "added_at"?: string,"position"?: number,"question_id": number,"study_set_id": string
                  }
                  Update: {
                    "added_at"?: string,"position"?: number,"question_id"?: number,"study_set_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "study_set_items_question_id_fkey"
      columns: ["question_id"]
isOneToOne: false
      referencedRelation: "questions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "study_set_items_study_set_id_fkey"
      columns: ["study_set_id"]
isOneToOne: false
      referencedRelation: "study_sets"
      referencedColumns: ["id"]
    }
                  ]
                },"study_sets": {
                  Row: {
                    "created_at": string,"description": string | null,"id": string,"name": string,"organization_id": string | null,"owner_id": string,"shared": boolean,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"description"?: string | null,"id"?: string,"name": string,"organization_id"?: string | null,"owner_id"?: string,"shared"?: boolean,"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"description"?: string | null,"id"?: string,"name"?: string,"organization_id"?: string | null,"owner_id"?: string,"shared"?: boolean,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "study_sets_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "study_sets_owner_id_fkey"
      columns: ["owner_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"tasks": {
                  Row: {
                    "completed_at": string | null,"created_at": string,"deleted_at": string | null,"description": string | null,"due_at": string | null,"id": number,"priority": Database["public"]['Enums']["task_priority"],"search": unknown,"status": Database["public"]['Enums']["task_status"],"tags": (string)[],"title": string,"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "completed_at"?: string | null,"created_at"?: string,"deleted_at"?: string | null,"description"?: string | null,"due_at"?: string | null,"id"?: never,"priority"?: Database["public"]['Enums']["task_priority"],"search"?: never,"status"?: Database["public"]['Enums']["task_status"],"tags"?: (string)[],"title": string,"updated_at"?: string,"user_id"?: string
                  }
                  Update: {
                    "completed_at"?: string | null,"created_at"?: string,"deleted_at"?: string | null,"description"?: string | null,"due_at"?: string | null,"id"?: never,"priority"?: Database["public"]['Enums']["task_priority"],"search"?: never,"status"?: Database["public"]['Enums']["task_status"],"tags"?: (string)[],"title"?: string,"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "tasks_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"team_members": {
                  Row: {
                    "added_at": string,"organization_id": string,"team_id": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "added_at"?: string,"organization_id": string,"team_id": string,"user_id": string
                  }
                  Update: {
                    "added_at"?: string,"organization_id"?: string,"team_id"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "team_members_member_fkey"
      columns: ["organization_id","user_id"]
isOneToOne: false
      referencedRelation: "organization_members"
      referencedColumns: ["organization_id","user_id"]
    },{
      foreignKeyName: "team_members_team_fkey"
      columns: ["team_id","organization_id"]
isOneToOne: false
      referencedRelation: "teams"
      referencedColumns: ["id","organization_id"]
    }
                  ]
                },"teams": {
                  Row: {
                    "created_at": string,"department_id": string | null,"description": string | null,"id": string,"kind": Database["public"]['Enums']["team_kind"],"name": string,"organization_id": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"department_id"?: string | null,"description"?: string | null,"id"?: string,"kind"?: Database["public"]['Enums']["team_kind"],"name": string,"organization_id": string,"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"department_id"?: string | null,"description"?: string | null,"id"?: string,"kind"?: Database["public"]['Enums']["team_kind"],"name"?: string,"organization_id"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "teams_department_fkey"
      columns: ["department_id","organization_id"]
isOneToOne: false
      referencedRelation: "departments"
      referencedColumns: ["id","organization_id"]
    },{
      foreignKeyName: "teams_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    }
                  ]
                },"training_categories": {
                  Row: {
                    "description": string,"name": string,"position": number,"slug": string
                  }
                  ComputedFields: never
                  Insert: {
                    "description": string,"name": string,"position": number,"slug": string
                  }
                  Update: {
                    "description"?: string,"name"?: string,"position"?: number,"slug"?: string
                  }
                  Relationships: [
                    
                  ]
                },"training_chunks": {
                  Row: {
                    "category": string,"content": string,"document_id": string,"fts": unknown,"id": number,"organization_id": string,"position": number
                  }
                  ComputedFields: never
                  Insert: {
                    "category": string,"content": string,"document_id": string,"fts"?: never,"id"?: never,"organization_id": string,"position": number
                  }
                  Update: {
                    "category"?: string,"content"?: string,"document_id"?: string,"fts"?: never,"id"?: never,"organization_id"?: string,"position"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "training_chunks_document_id_fkey"
      columns: ["document_id"]
isOneToOne: false
      referencedRelation: "training_documents"
      referencedColumns: ["id"]
    }
                  ]
                },"training_documents": {
                  Row: {
                    "byte_size": number,"category": string,"character_count": number,"chunk_count": number,"created_at": string,"file_name": string | null,"id": string,"organization_id": string,"source_kind": string,"title": string,"uploaded_by": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "byte_size": number,"category": string,"character_count": number,"chunk_count": number,"created_at"?: string,"file_name"?: string | null,"id"?: string,"organization_id": string,"source_kind": string,"title": string,"uploaded_by"?: string | null
                  }
                  Update: {
                    "byte_size"?: number,"category"?: string,"character_count"?: number,"chunk_count"?: number,"created_at"?: string,"file_name"?: string | null,"id"?: string,"organization_id"?: string,"source_kind"?: string,"title"?: string,"uploaded_by"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "training_documents_category_fkey"
      columns: ["category"]
isOneToOne: false
      referencedRelation: "training_categories"
      referencedColumns: ["slug"]
    },{
      foreignKeyName: "training_documents_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "training_documents_uploaded_by_fkey"
      columns: ["uploaded_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"training_messages": {
                  Row: {
                    "content": string,"created_at": string,"id": number,"organization_id": string | null,"role": Database["public"]['Enums']["training_message_role"],"search": unknown,"session_id": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "content": string,"created_at"?: string,"id"?: never,"organization_id"?: string | null,"role"?: Database["public"]['Enums']["training_message_role"],"search"?: never,"session_id": string,"user_id"?: string
                  }
                  Update: {
                    "content"?: string,"created_at"?: string,"id"?: never,"organization_id"?: string | null,"role"?: Database["public"]['Enums']["training_message_role"],"search"?: never,"session_id"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "training_messages_session_id_fkey"
      columns: ["session_id"]
isOneToOne: false
      referencedRelation: "training_sessions"
      referencedColumns: ["id"]
    }
                  ]
                },"training_notes": {
                  Row: {
                    "author_id": string,"body": string,"created_at": string,"id": number,"organization_id": string | null,"session_id": string,"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "author_id"?: string,"body": string,"created_at"?: string,"id"?: never,"organization_id"?: string | null,"session_id": string,"updated_at"?: string,"user_id"?: string
                  }
                  Update: {
                    "author_id"?: string,"body"?: string,"created_at"?: string,"id"?: never,"organization_id"?: string | null,"session_id"?: string,"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "training_notes_author_id_fkey"
      columns: ["author_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "training_notes_session_id_fkey"
      columns: ["session_id"]
isOneToOne: false
      referencedRelation: "training_sessions"
      referencedColumns: ["id"]
    }
                  ]
                },"training_reports": {
                  Row: {
                    "citations": NonNullable<Json>,"created_at": string,"criteria": NonNullable<Json>,"generated_by": string,"improvements": NonNullable<Json>,"organization_id": string | null,"overall_score": number,"search": unknown,"session_id": string,"strengths": NonNullable<Json>,"summary": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "citations"?: NonNullable<Json>,"created_at"?: string,"criteria": NonNullable<Json>,"generated_by": string,"improvements"?: NonNullable<Json>,"organization_id"?: string | null,"overall_score": number,"search"?: never,"session_id": string,"strengths"?: NonNullable<Json>,"summary": string,"user_id": string
                  }
                  Update: {
                    "citations"?: NonNullable<Json>,"created_at"?: string,"criteria"?: NonNullable<Json>,"generated_by"?: string,"improvements"?: NonNullable<Json>,"organization_id"?: string | null,"overall_score"?: number,"search"?: never,"session_id"?: string,"strengths"?: NonNullable<Json>,"summary"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "training_reports_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "training_reports_session_id_fkey"
      columns: ["session_id"]
isOneToOne: true
      referencedRelation: "training_sessions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "training_reports_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"training_scenarios": {
                  Row: {
                    "category": string,"created_at": string,"created_by": string | null,"customer_brief": string,"difficulty": Database["public"]['Enums']["training_difficulty"] | null,"id": string,"is_active": boolean,"organization_id": string | null,"title": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "category": string,"created_at"?: string,"created_by"?: string | null,"customer_brief": string,"difficulty"?: Database["public"]['Enums']["training_difficulty"] | null,"id"?: string,"is_active"?: boolean,"organization_id"?: string | null,"title": string,"updated_at"?: string
                  }
                  Update: {
                    "category"?: string,"created_at"?: string,"created_by"?: string | null,"customer_brief"?: string,"difficulty"?: Database["public"]['Enums']["training_difficulty"] | null,"id"?: string,"is_active"?: boolean,"organization_id"?: string | null,"title"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "training_scenarios_category_fkey"
      columns: ["category"]
isOneToOne: false
      referencedRelation: "training_categories"
      referencedColumns: ["slug"]
    },{
      foreignKeyName: "training_scenarios_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "training_scenarios_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    }
                  ]
                },"training_sessions": {
                  Row: {
                    "category": string,"completed_at": string | null,"difficulty": Database["public"]['Enums']["training_difficulty"],"duration_minutes": number,"ends_at": string,"id": string,"organization_id": string | null,"overall_score": number | null,"scenario_id": string | null,"started_at": string,"status": Database["public"]['Enums']["training_session_status"],"user_id": string,"xp_awarded": number | null
                  }
                  ComputedFields: never
                  Insert: {
                    "category": string,"completed_at"?: string | null,"difficulty": Database["public"]['Enums']["training_difficulty"],"duration_minutes": number,"ends_at"?: string,"id"?: string,"organization_id"?: string | null,"overall_score"?: number | null,"scenario_id"?: string | null,"started_at"?: string,"status"?: Database["public"]['Enums']["training_session_status"],"user_id"?: string,"xp_awarded"?: number | null
                  }
                  Update: {
                    "category"?: string,"completed_at"?: string | null,"difficulty"?: Database["public"]['Enums']["training_difficulty"],"duration_minutes"?: number,"ends_at"?: string,"id"?: string,"organization_id"?: string | null,"overall_score"?: number | null,"scenario_id"?: string | null,"started_at"?: string,"status"?: Database["public"]['Enums']["training_session_status"],"user_id"?: string,"xp_awarded"?: number | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "training_sessions_category_fkey"
      columns: ["category"]
isOneToOne: false
      referencedRelation: "training_categories"
      referencedColumns: ["slug"]
    },{
      foreignKeyName: "training_sessions_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "training_sessions_scenario_id_fkey"
      columns: ["scenario_id"]
isOneToOne: false
      referencedRelation: "training_scenarios"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "training_sessions_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"user_achievements": {
                  Row: {
                    "achievement_id": number,"earned_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "achievement_id": number,"earned_at"?: string,"user_id": string
                  }
                  Update: {
                    "achievement_id"?: number,"earned_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "user_achievements_achievement_id_fkey"
      columns: ["achievement_id"]
isOneToOne: false
      referencedRelation: "achievements"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "user_achievements_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"user_avatars": {
                  Row: {
                    "avatar_id": number,"source": string,"unlocked_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "avatar_id": number,"source"?: string,"unlocked_at"?: string,"user_id": string
                  }
                  Update: {
                    "avatar_id"?: number,"source"?: string,"unlocked_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "user_avatars_avatar_id_fkey"
      columns: ["avatar_id"]
isOneToOne: false
      referencedRelation: "avatars"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "user_avatars_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"user_preferences": {
                  Row: {
                    "ai_uses_memories": boolean,"date_format": Database["public"]['Enums']["date_format_preference"],"email_achievements": boolean,"email_assignments": boolean,"email_streak_reminder": boolean,"email_training_reports": boolean,"email_weekly_progress": boolean,"language": string,"quiet_hours_end": string | null,"quiet_hours_start": string | null,"theme": Database["public"]['Enums']["theme_preference"],"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "ai_uses_memories"?: boolean,"date_format"?: Database["public"]['Enums']["date_format_preference"],"email_achievements"?: boolean,"email_assignments"?: boolean,"email_streak_reminder"?: boolean,"email_training_reports"?: boolean,"email_weekly_progress"?: boolean,"language"?: string,"quiet_hours_end"?: string | null,"quiet_hours_start"?: string | null,"theme"?: Database["public"]['Enums']["theme_preference"],"updated_at"?: string,"user_id": string
                  }
                  Update: {
                    "ai_uses_memories"?: boolean,"date_format"?: Database["public"]['Enums']["date_format_preference"],"email_achievements"?: boolean,"email_assignments"?: boolean,"email_streak_reminder"?: boolean,"email_training_reports"?: boolean,"email_weekly_progress"?: boolean,"language"?: string,"quiet_hours_end"?: string | null,"quiet_hours_start"?: string | null,"theme"?: Database["public"]['Enums']["theme_preference"],"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "user_preferences_user_id_fkey"
      columns: ["user_id"]
isOneToOne: true
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"webhook_deliveries": {
                  Row: {
                    "attempts": number,"completed_at": string | null,"created_at": string,"endpoint_id": string,"event_id": string,"event_type": string,"id": number,"last_error": string | null,"last_request_id": number | null,"last_status_code": number | null,"max_attempts": number,"next_attempt_at": string | null,"organization_id": string,"payload": NonNullable<Json>,"status": string
                  }
                  ComputedFields: never
                  Insert: {
                    "attempts"?: number,"completed_at"?: string | null,"created_at"?: string,"endpoint_id": string,"event_id"?: string,"event_type": string,"id"?: never,"last_error"?: string | null,"last_request_id"?: number | null,"last_status_code"?: number | null,"max_attempts"?: number,"next_attempt_at"?: string | null,"organization_id": string,"payload": NonNullable<Json>,"status"?: string
                  }
                  Update: {
                    "attempts"?: number,"completed_at"?: string | null,"created_at"?: string,"endpoint_id"?: string,"event_id"?: string,"event_type"?: string,"id"?: never,"last_error"?: string | null,"last_request_id"?: number | null,"last_status_code"?: number | null,"max_attempts"?: number,"next_attempt_at"?: string | null,"organization_id"?: string,"payload"?: NonNullable<Json>,"status"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "webhook_deliveries_endpoint_id_fkey"
      columns: ["endpoint_id"]
isOneToOne: false
      referencedRelation: "webhook_endpoints"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "webhook_deliveries_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    }
                  ]
                },"webhook_delivery_attempts": {
                  Row: {
                    "attempt": number,"delivery_id": number,"error": string | null,"finished_at": string | null,"id": number,"organization_id": string,"request_id": number,"response_excerpt": string | null,"sent_at": string,"signed_at": number,"status_code": number | null
                  }
                  ComputedFields: never
                  Insert: {
                    "attempt": number,"delivery_id": number,"error"?: string | null,"finished_at"?: string | null,"id"?: never,"organization_id": string,"request_id": number,"response_excerpt"?: string | null,"sent_at"?: string,"signed_at": number,"status_code"?: number | null
                  }
                  Update: {
                    "attempt"?: number,"delivery_id"?: number,"error"?: string | null,"finished_at"?: string | null,"id"?: never,"organization_id"?: string,"request_id"?: number,"response_excerpt"?: string | null,"sent_at"?: string,"signed_at"?: number,"status_code"?: number | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "webhook_delivery_attempts_delivery_id_fkey"
      columns: ["delivery_id"]
isOneToOne: false
      referencedRelation: "webhook_deliveries"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "webhook_delivery_attempts_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    }
                  ]
                },"webhook_endpoints": {
                  Row: {
                    "created_at": string,"created_by": string | null,"description": string | null,"event_types": (string)[],"id": string,"is_active": boolean,"organization_id": string,"secret_last4": string,"updated_at": string,"url": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"created_by"?: string | null,"description"?: string | null,"event_types": (string)[],"id"?: string,"is_active"?: boolean,"organization_id": string,"secret_last4": string,"updated_at"?: string,"url": string
                  }
                  Update: {
                    "created_at"?: string,"created_by"?: string | null,"description"?: string | null,"event_types"?: (string)[],"id"?: string,"is_active"?: boolean,"organization_id"?: string,"secret_last4"?: string,"updated_at"?: string,"url"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "webhook_endpoints_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "webhook_endpoints_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    }
                  ]
                },"xp_events": {
                  Row: {
                    "achievement_id": number | null,"amount": number,"attempt_id": string | null,"created_at": string,"id": number,"note": string | null,"organization_id": string | null,"source": Database["public"]['Enums']["xp_source"],"training_session_id": string | null,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "achievement_id"?: number | null,"amount": number,"attempt_id"?: string | null,"created_at"?: string,"id"?: never,"note"?: string | null,"organization_id"?: string | null,"source": Database["public"]['Enums']["xp_source"],"training_session_id"?: string | null,"user_id": string
                  }
                  Update: {
                    "achievement_id"?: number | null,"amount"?: number,"attempt_id"?: string | null,"created_at"?: string,"id"?: never,"note"?: string | null,"organization_id"?: string | null,"source"?: Database["public"]['Enums']["xp_source"],"training_session_id"?: string | null,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "xp_events_achievement_id_fkey"
      columns: ["achievement_id"]
isOneToOne: false
      referencedRelation: "achievements"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "xp_events_attempt_id_fkey"
      columns: ["attempt_id"]
isOneToOne: false
      referencedRelation: "quiz_attempts"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "xp_events_organization_id_fkey"
      columns: ["organization_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "xp_events_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                }
          }
          Views: {
            [_ in never]: never
          }
          Functions: {
            "accept_invitation":
{ Args: { "p_invitation"?: string,"p_token"?: string }; Returns: Json
                           },
"add_training_document":
{ Args: { "p_byte_size"?: number,"p_category": string,"p_chunks": (string)[],"p_file_name"?: string,"p_organization": string,"p_source_kind": string,"p_title": string }; Returns: Json
                           },
"admin_adjust_xp":
{ Args: { "p_amount": number,"p_note": string,"p_user": string }; Returns: Json
                           },
"claim_email_outbox":
{ Args: { "p_limit"?: number }; Returns: {
              "attempts": number,
"created_at": string,
"id": number,
"idempotency_key": string,
"kind": Database["public"]['Enums']["email_kind"],
"last_error": string | null,
"max_attempts": number,
"next_attempt_at": string,
"notification_id": number | null,
"provider_message_id": string | null,
"recipient": string,
"sent_at": string | null,
"status": Database["public"]['Enums']["email_status"],
"template": string,
"template_data": NonNullable<Json>,
"updated_at": string,
"user_id": string | null
            }[]
                          SetofOptions: {
        from: "*"
        to: "email_outbox"
        isOneToOne: false
        isSetofReturn: true
      } },
"complete_email_outbox":
{ Args: { "p_error"?: string,"p_id": number,"p_provider_message_id"?: string }; Returns: {
              "attempts": number,
"created_at": string,
"id": number,
"idempotency_key": string,
"kind": Database["public"]['Enums']["email_kind"],
"last_error": string | null,
"max_attempts": number,
"next_attempt_at": string,
"notification_id": number | null,
"provider_message_id": string | null,
"recipient": string,
"sent_at": string | null,
"status": Database["public"]['Enums']["email_status"],
"template": string,
"template_data": NonNullable<Json>,
"updated_at": string,
"user_id": string | null
            }
                          SetofOptions: {
        from: "*"
        to: "email_outbox"
        isOneToOne: true
        isSetofReturn: false
      } },
"complete_lesson":
{ Args: { "p_lesson": string }; Returns: number
                           },
"complete_training_session":
{ Args: { "p_report": Json,"p_session": string }; Returns: Json
                           },
"create_lesson":
{ Args: { "p_body": string,"p_change_summary"?: string,"p_exam"?: string,"p_organization": string,"p_title": string }; Returns: {
              "body": string,
"change_summary": string | null,
"created_at": string,
"created_by": string | null,
"lesson_id": string,
"organization_id": string,
"published_at": string | null,
"reviewed_at": string | null,
"reviewed_by": string | null,
"status": Database["public"]['Enums']["lesson_status"],
"submitted_at": string | null,
"title": string,
"updated_at": string,
"version": number
            }
                          SetofOptions: {
        from: "*"
        to: "lesson_versions"
        isOneToOne: true
        isSetofReturn: false
      } },
"create_organization":
{ Args: { "p_description"?: string,"p_name": string,"p_slug": string }; Returns: {
              "created_at": string,
"created_by": string | null,
"description": string | null,
"id": string,
"name": string,
"slug": string,
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "organizations"
        isOneToOne: true
        isSetofReturn: false
      } },
"create_webhook_endpoint":
{ Args: { "p_description"?: string,"p_event_types": (string)[],"p_organization": string,"p_url": string }; Returns: Json
                           },
"custom_access_token_hook":
{ Args: { "event": Json }; Returns: Json
                           },
"decline_invitation":
{ Args: { "p_invitation"?: string,"p_token"?: string }; Returns: Json
                           },
"delete_account":
{ Args: { "p_confirmation"?: string,"p_user"?: string }; Returns: Json
                           },
"delete_notifications":
{ Args: { "p_ids": (number)[] }; Returns: number
                           },
"delete_tasks":
{ Args: { "p_ids": (number)[],"p_permanent"?: boolean }; Returns: number
                           },
"diff_lesson_versions":
{ Args: { "p_from": number,"p_lesson": string,"p_to": number }; Returns: {
              "line": string,"new_line": number,"old_line": number,"op": string
            }[]
                           },
"equip_avatar":
{ Args: { "p_avatar_id": number }; Returns: Json
                           },
"export_user_data":
{ Args: { "p_user"?: string }; Returns: Json
                           },
"follow":
{ Args: { "p_username": string }; Returns: Json
                           },
"get_accuracy_trend":
{ Args: { "p_exam"?: string,"p_user"?: string,"p_weeks"?: number }; Returns: {
              "accuracy": number,"correct_answers": number,"questions_answered": number,"quizzes": number,"week_start": string
            }[]
                           },
"get_active_quiz":
{ Args: { "p_exam"?: string }; Returns: Json
                           },
"get_assignment_progress":
{ Args: { "p_assignment": string }; Returns: {
              "attempts": number,"best_score": number,"completed_at": string,"display_name": string,"status": string,"user_id": string,"username": string
            }[]
                           },
"get_attempt_review":
{ Args: { "p_attempt": string }; Returns: Json
                           },
"get_avatar_collection":
{ Args: Record<PropertyKey, never>; Returns: Json
                           },
"get_cohort_overview":
{ Args: { "p_exam"?: string,"p_organization": string,"p_team"?: string }; Returns: {
              "accuracy_last_30_days": number,"accuracy_previous_30_days": number,"at_risk": boolean,"avatar_url": string,"current_streak": number,"display_name": string,"last_activity_date": string,"level": number,"questions_last_30_days": number,"quizzes_last_30_days": number,"readiness": number,"risk_reasons": (string)[],"user_id": string,"username": string,"xp": number
            }[]
                           },
"get_daily_activity":
{ Args: { "p_days"?: number,"p_user"?: string }; Returns: {
              "correct_answers": number,"day": string,"questions_answered": number,"quizzes": number,"seconds_studied": number,"xp_earned": number
            }[]
                           },
"get_domain_performance":
{ Args: { "p_exam": string,"p_user"?: string }; Returns: {
              "accuracy": number,"answered": number,"correct": number,"domain_code": string,"domain_id": number,"domain_name": string,"weight": number
            }[]
                           },
"get_exam_readiness":
{ Args: { "p_exam": string,"p_user"?: string }; Returns: Json
                           },
"get_exam_stats":
{ Args: { "p_user"?: string }; Returns: {
              "accuracy": number,"average_score": number,"best_score": number,"correct_answers": number,"exam_id": string,"exam_name": string,"last_submitted_at": string,"questions_answered": number,"quizzes_completed": number,"xp_earned": number
            }[]
                           },
"get_following_leaderboard":
{ Args: { "p_board"?: Database["public"]['Enums']["leaderboard_board"],"p_period"?: Database["public"]['Enums']["leaderboard_period"] }; Returns: Json
                           },
"get_leaderboard":
{ Args: { "p_board": Database["public"]['Enums']["leaderboard_board"],"p_exam"?: string,"p_limit"?: number,"p_offset"?: number,"p_organization"?: string,"p_period"?: Database["public"]['Enums']["leaderboard_period"] }; Returns: Json
                           },
"get_my_achievements":
{ Args: Record<PropertyKey, never>; Returns: {
              "badge_icon": string,"criteria_type": Database["public"]['Enums']["achievement_criteria"],"criteria_value": number,"description": string,"earned": boolean,"earned_at": string,"exam_id": string,"id": number,"is_hidden": boolean,"name": string,"progress": number,"progress_percent": number,"slug": string,"xp_reward": number
            }[]
                           },
"get_my_assignments":
{ Args: { "p_status"?: string }; Returns: {
              "assigned_at": string,"assignment_id": string,"attempts": number,"best_score": number,"completed_at": string,"completed_late": boolean,"domain_codes": (string)[],"due_at": string,"exam_id": string,"instructions": string,"kind": Database["public"]['Enums']["assignment_kind"],"lesson_id": string,"organization_id": string,"pass_mark": number,"question_count": number,"status": string,"title": string
            }[]
                           },
"get_my_invitations":
{ Args: Record<PropertyKey, never>; Returns: {
              "created_at": string,"expires_at": string,"invitation_id": string,"invited_by_display_name": string,"organization_id": string,"organization_name": string,"organization_slug": string,"role": Database["public"]['Enums']["org_role"]
            }[]
                           },
"get_my_settings":
{ Args: Record<PropertyKey, never>; Returns: Json
                           },
"get_notifications":
{ Args: { "p_limit"?: number,"p_offset"?: number,"p_type"?: Database["public"]['Enums']["notification_type"],"p_unread_only"?: boolean }; Returns: Json
                           },
"get_public_profile":
{ Args: { "p_username": string }; Returns: Json
                           },
"get_quiz_history":
{ Args: { "p_exam"?: string,"p_from"?: string,"p_limit"?: number,"p_mode"?: Database["public"]['Enums']["quiz_mode"],"p_offset"?: number,"p_outcome"?: string,"p_to"?: string }; Returns: Json
                           },
"get_review_queue":
{ Args: { "p_exam"?: string,"p_limit"?: number }; Returns: {
              "domain_code": string,"due_at": string,"easiness": number,"exam_id": string,"kind": string,"question_id": number,"reason": string
            }[]
                           },
"get_study_recommendations":
{ Args: { "p_exam": string,"p_user"?: string }; Returns: Json
                           },
"get_unread_notification_count":
{ Args: Record<PropertyKey, never>; Returns: number
                           },
"get_weak_areas":
{ Args: { "p_exam": string,"p_user"?: string }; Returns: {
              "accuracy": number,"answered": number,"domain_code": string,"domain_id": number,"domain_name": string,"priority": string,"weight": number
            }[]
                           },
"import_invitations":
{ Args: { "p_dry_run"?: boolean,"p_organization": string,"p_rows": Json }; Returns: Json
                           },
"import_questions":
{ Args: { "p_dry_run"?: boolean,"p_organization": string,"p_rows": Json }; Returns: Json
                           },
"invite_to_organization":
{ Args: { "p_email"?: string,"p_expires_in_days"?: number,"p_organization": string,"p_role"?: Database["public"]['Enums']["org_role"] }; Returns: Json
                           },
"mark_all_notifications_read":
{ Args: Record<PropertyKey, never>; Returns: number
                           },
"mark_notifications_read":
{ Args: { "p_ids": (number)[],"p_read"?: boolean }; Returns: number
                           },
"refresh_leaderboards":
{ Args: Record<PropertyKey, never>; Returns: Json
                           },
"release_email_outbox":
{ Args: { "p_ids": (number)[] }; Returns: number
                           },
"restore_tasks":
{ Args: { "p_ids": (number)[] }; Returns: number
                           },
"retry_webhook_delivery":
{ Args: { "p_delivery": number }; Returns: {
              "attempts": number,
"completed_at": string | null,
"created_at": string,
"endpoint_id": string,
"event_id": string,
"event_type": string,
"id": number,
"last_error": string | null,
"last_request_id": number | null,
"last_status_code": number | null,
"max_attempts": number,
"next_attempt_at": string | null,
"organization_id": string,
"payload": NonNullable<Json>,
"status": string
            }
                          SetofOptions: {
        from: "*"
        to: "webhook_deliveries"
        isOneToOne: true
        isSetofReturn: false
      } },
"review_card":
{ Args: { "p_grade": number,"p_question": number }; Returns: {
              "created_at": string,
"due_at": string,
"easiness": number,
"interval_days": number,
"lapses": number,
"last_grade": number | null,
"last_reviewed_at": string | null,
"question_id": number,
"repetitions": number,
"reviews": number,
"user_id": string
            }
                          SetofOptions: {
        from: "*"
        to: "review_cards"
        isOneToOne: true
        isSetofReturn: false
      } },
"revoke_invitation":
{ Args: { "p_invitation": string }; Returns: Json
                           },
"rollback_lesson":
{ Args: { "p_lesson": string,"p_to_version": number }; Returns: {
              "body": string,
"change_summary": string | null,
"created_at": string,
"created_by": string | null,
"lesson_id": string,
"organization_id": string,
"published_at": string | null,
"reviewed_at": string | null,
"reviewed_by": string | null,
"status": Database["public"]['Enums']["lesson_status"],
"submitted_at": string | null,
"title": string,
"updated_at": string,
"version": number
            }
                          SetofOptions: {
        from: "*"
        to: "lesson_versions"
        isOneToOne: true
        isSetofReturn: false
      } },
"rotate_webhook_secret":
{ Args: { "p_endpoint": string }; Returns: Json
                           },
"save_lesson_draft":
{ Args: { "p_body": string,"p_change_summary"?: string,"p_lesson": string,"p_title": string }; Returns: {
              "body": string,
"change_summary": string | null,
"created_at": string,
"created_by": string | null,
"lesson_id": string,
"organization_id": string,
"published_at": string | null,
"reviewed_at": string | null,
"reviewed_by": string | null,
"status": Database["public"]['Enums']["lesson_status"],
"submitted_at": string | null,
"title": string,
"updated_at": string,
"version": number
            }
                          SetofOptions: {
        from: "*"
        to: "lesson_versions"
        isOneToOne: true
        isSetofReturn: false
      } },
"save_question":
{ Args: { "p_question": Json }; Returns: {
              "answer_count": number,
"correct_count": number,
"created_at": string,
"created_by": string | null,
"difficulty": number | null,
"difficulty_level": string | null,
"domain_id": number,
"exam_id": string,
"id": number,
"options": NonNullable<Json>,
"organization_id": string | null,
"status": Database["public"]['Enums']["question_status"],
"stem": string,
"updated_at": string,
"updated_by": string | null,
"version": number
            }
                          SetofOptions: {
        from: "*"
        to: "questions"
        isOneToOne: true
        isSetofReturn: false
      } },
"save_quiz_answer":
{ Args: { "p_answer": string,"p_attempt": string,"p_question_id": number,"p_time_spent_seconds"?: number }; Returns: Json
                           },
"search_memories":
{ Args: { "p_category"?: string,"p_limit"?: number,"p_query"?: string }; Returns: {
              "category": string,"content": string,"context": Json,"created_at": string,"expires_at": string,"id": string,"importance": number,"rank": number,"source": string
            }[]
                           },
"search_tasks":
{ Args: { "p_deleted"?: boolean,"p_descending"?: boolean,"p_due_from"?: string,"p_due_to"?: string,"p_limit"?: number,"p_offset"?: number,"p_priority"?: (Database["public"]['Enums']["task_priority"])[],"p_query"?: string,"p_sort"?: string,"p_status"?: (Database["public"]['Enums']["task_status"])[],"p_tags"?: (string)[] }; Returns: Json
                           },
"search_training_material":
{ Args: { "p_category"?: string,"p_limit"?: number,"p_organization": string,"p_query": string }; Returns: {
              "category": string,"chunk_id": number,"chunk_position": number,"content": string,"document_id": string,"rank": number,"snippet": string,"title": string
            }[]
                           },
"search_training_sessions":
{ Args: { "p_limit"?: number,"p_query": string }; Returns: {
              "category": string,"difficulty": Database["public"]['Enums']["training_difficulty"],"headline": string,"organization_id": string,"overall_score": number,"rank": number,"session_id": string,"started_at": string,"status": Database["public"]['Enums']["training_session_status"],"user_id": string
            }[]
                           },
"send_notification":
{ Args: { "p_body"?: string,"p_data"?: Json,"p_organization"?: string,"p_title": string,"p_users"?: (string)[] }; Returns: number
                           },
"send_test_webhook":
{ Args: { "p_endpoint": string }; Returns: number
                           },
"set_lesson_status":
{ Args: { "p_comment"?: string,"p_lesson": string,"p_status": Database["public"]['Enums']["lesson_status"],"p_version": number }; Returns: {
              "body": string,
"change_summary": string | null,
"created_at": string,
"created_by": string | null,
"lesson_id": string,
"organization_id": string,
"published_at": string | null,
"reviewed_at": string | null,
"reviewed_by": string | null,
"status": Database["public"]['Enums']["lesson_status"],
"submitted_at": string | null,
"title": string,
"updated_at": string,
"version": number
            }
                          SetofOptions: {
        from: "*"
        to: "lesson_versions"
        isOneToOne: true
        isSetofReturn: false
      } },
"set_profile_photo":
{ Args: { "p_path": string }; Returns: Json
                           },
"start_quiz":
{ Args: { "p_count"?: number,"p_domains"?: (string)[],"p_exam": string,"p_mode"?: Database["public"]['Enums']["quiz_mode"],"p_organization"?: string,"p_time_limit_seconds"?: number }; Returns: Json
                           },
"start_study_set_quiz":
{ Args: { "p_count"?: number,"p_set": string }; Returns: Json
                           },
"submit_quiz":
{ Args: { "p_answers"?: Json,"p_attempt": string }; Returns: Json
                           },
"unfollow":
{ Args: { "p_username": string }; Returns: boolean
                           },
"update_my_settings":
{ Args: { "p_settings": Json }; Returns: Json
                           },
"update_tasks":
{ Args: { "p_add_tags"?: (string)[],"p_due_at"?: string,"p_ids": (number)[],"p_priority"?: Database["public"]['Enums']["task_priority"],"p_remove_tags"?: (string)[],"p_status"?: Database["public"]['Enums']["task_status"] }; Returns: number
                           },
"xp_for_level":
{ Args: { "p_level": number }; Returns: number
                           }
          }
          Enums: {
            "achievement_criteria": "quiz_completed"|"perfect_quiz"|"high_score_quiz"|"correct_answers"|"study_streak"|"level_reached"|"exam_specific","assignment_kind": "quiz"|"lesson","attempt_status": "in_progress"|"submitted"|"abandoned","avatar_rarity": "common"|"rare"|"epic"|"legendary","date_format_preference": "YYYY-MM-DD"|"DD/MM/YYYY"|"MM/DD/YYYY"|"DD.MM.YYYY","email_kind": "weekly_progress"|"streak_reminder"|"achievement"|"assignment"|"training_report"|"invitation"|"system","email_status": "queued"|"sending"|"sent"|"failed"|"cancelled","invitation_status": "pending"|"accepted"|"declined"|"revoked","leaderboard_board": "xp"|"quiz_count"|"accuracy"|"streak"|"exam","leaderboard_period": "all_time"|"monthly"|"weekly","lesson_status": "draft"|"in_review"|"approved"|"published"|"archived","notification_type": "achievement"|"level_up"|"streak_at_risk"|"assignment_due"|"invitation"|"report_ready"|"moderation_result"|"system","org_role": "owner"|"admin"|"instructor"|"learner","profile_visibility": "public"|"organisation"|"private","question_status": "draft"|"published"|"retired","quiz_mode": "practice"|"weak_areas"|"review","report_reason": "incorrect_answer"|"unclear"|"typo"|"outdated"|"other","report_status": "open"|"accepted"|"rejected"|"resolved","task_priority": "low"|"medium"|"high"|"urgent","task_status": "todo"|"in_progress"|"done","team_kind": "team"|"cohort","theme_preference": "system"|"light"|"dark","training_difficulty": "new-joining"|"basic"|"experienced"|"expert","training_message_role": "learner"|"customer","training_session_status": "active"|"completed"|"abandoned","xp_source": "quiz"|"accuracy_bonus"|"achievement"|"adjustment"|"training"
          }
          CompositeTypes: {
            [_ in never]: never
          }
        }
}

type DatabaseWithoutInternals = Omit<Database, '__InternalSupabase'>

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
  ? (DefaultSchema["Tables"] & DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
      Row: infer R
    }
    ? R
    : never
  : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
  ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Insert: infer I
    }
    ? I
    : never
  : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
  ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Update: infer U
    }
    ? U
    : never
  : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never = never
> = DefaultSchemaEnumNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
  ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
  : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never = never
> = PublicCompositeTypeNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
  ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
  : never

export const Constants = {
  "public": {
          Enums: {
            "achievement_criteria": ["quiz_completed", "perfect_quiz", "high_score_quiz", "correct_answers", "study_streak", "level_reached", "exam_specific"],"assignment_kind": ["quiz", "lesson"],"attempt_status": ["in_progress", "submitted", "abandoned"],"avatar_rarity": ["common", "rare", "epic", "legendary"],"date_format_preference": ["YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY"],"email_kind": ["weekly_progress", "streak_reminder", "achievement", "assignment", "training_report", "invitation", "system"],"email_status": ["queued", "sending", "sent", "failed", "cancelled"],"invitation_status": ["pending", "accepted", "declined", "revoked"],"leaderboard_board": ["xp", "quiz_count", "accuracy", "streak", "exam"],"leaderboard_period": ["all_time", "monthly", "weekly"],"lesson_status": ["draft", "in_review", "approved", "published", "archived"],"notification_type": ["achievement", "level_up", "streak_at_risk", "assignment_due", "invitation", "report_ready", "moderation_result", "system"],"org_role": ["owner", "admin", "instructor", "learner"],"profile_visibility": ["public", "organisation", "private"],"question_status": ["draft", "published", "retired"],"quiz_mode": ["practice", "weak_areas", "review"],"report_reason": ["incorrect_answer", "unclear", "typo", "outdated", "other"],"report_status": ["open", "accepted", "rejected", "resolved"],"task_priority": ["low", "medium", "high", "urgent"],"task_status": ["todo", "in_progress", "done"],"team_kind": ["team", "cohort"],"theme_preference": ["system", "light", "dark"],"training_difficulty": ["new-joining", "basic", "experienced", "expert"],"training_message_role": ["learner", "customer"],"training_session_status": ["active", "completed", "abandoned"],"xp_source": ["quiz", "accuracy_bonus", "achievement", "adjustment", "training"]
          }
        }
} as const
