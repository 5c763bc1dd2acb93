
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
                },"learner_exam_stats": {
                  Row: {
                    "best_score": number | null,"correct_answers": number,"exam_id": string,"last_submitted_at": string | null,"questions_answered": number,"quizzes_completed": number,"score_sum": number,"user_id": string,"xp_earned": number
                  }
                  ComputedFields: never
                  Insert: {
                    "best_score"?: number | null,"correct_answers"?: number,"exam_id": string,"last_submitted_at"?: string | null,"questions_answered"?: number,"quizzes_completed"?: number,"score_sum"?: number,"user_id": string,"xp_earned"?: number
                  }
                  Update: {
                    "best_score"?: number | null,"correct_answers"?: number,"exam_id"?: string,"last_submitted_at"?: string | null,"questions_answered"?: number,"quizzes_completed"?: number,"score_sum"?: number,"user_id"?: string,"xp_earned"?: number
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
                    "bio": string | null,"correct_answers": number,"created_at": string,"current_streak": number,"display_name": string,"high_score_quizzes": number,"id": string,"last_activity_date": string | null,"level": number,"longest_streak": number,"perfect_quizzes": number,"questions_answered": number,"quizzes_completed": number,"selected_avatar_id": number | null,"show_on_leaderboards": boolean,"time_zone": string,"updated_at": string,"username": string,"xp": number
                  }
                  ComputedFields: never
                  Insert: {
                    "bio"?: string | null,"correct_answers"?: number,"created_at"?: string,"current_streak"?: number,"display_name": string,"high_score_quizzes"?: number,"id": string,"last_activity_date"?: string | null,"level"?: number,"longest_streak"?: number,"perfect_quizzes"?: number,"questions_answered"?: number,"quizzes_completed"?: number,"selected_avatar_id"?: number | null,"show_on_leaderboards"?: boolean,"time_zone"?: string,"updated_at"?: string,"username": string,"xp"?: number
                  }
                  Update: {
                    "bio"?: string | null,"correct_answers"?: number,"created_at"?: string,"current_streak"?: number,"display_name"?: string,"high_score_quizzes"?: number,"id"?: string,"last_activity_date"?: string | null,"level"?: number,"longest_streak"?: number,"perfect_quizzes"?: number,"questions_answered"?: number,"quizzes_completed"?: number,"selected_avatar_id"?: number | null,"show_on_leaderboards"?: boolean,"time_zone"?: string,"updated_at"?: string,"username"?: string,"xp"?: number
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
                    "attempt_id": string,"domain_id": number,"exam_id": string,"graded_at": string | null,"is_correct": boolean | null,"position": number,"question_id": number,"question_version": number,"selected_answer": string | null,"time_spent_seconds": number | null,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "attempt_id": string,"domain_id": number,"exam_id": string,"graded_at"?: string | null,"is_correct"?: boolean | null,"position": number,"question_id": number,"question_version": number,"selected_answer"?: string | null,"time_spent_seconds"?: number | null,"user_id": string
                  }
                  Update: {
                    "attempt_id"?: string,"domain_id"?: number,"exam_id"?: string,"graded_at"?: string | null,"is_correct"?: boolean | null,"position"?: number,"question_id"?: number,"question_version"?: number,"selected_answer"?: string | null,"time_spent_seconds"?: number | null,"user_id"?: string
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
                    "auto_submitted": boolean,"correct_count": number | null,"domain_codes": (string)[] | null,"exam_id": string,"expires_at": string | null,"id": string,"mode": Database["public"]['Enums']["quiz_mode"],"question_count": number,"score_percentage": number | null,"started_at": string,"status": Database["public"]['Enums']["attempt_status"],"submitted_at": string | null,"time_limit_seconds": number | null,"time_taken_seconds": number | null,"user_id": string,"xp_earned": number | null
                  }
                  ComputedFields: never
                  Insert: {
                    "auto_submitted"?: boolean,"correct_count"?: number | null,"domain_codes"?: (string)[] | null,"exam_id": string,"expires_at"?: string | null,"id"?: string,"mode"?: Database["public"]['Enums']["quiz_mode"],"question_count": number,"score_percentage"?: number | null,"started_at"?: string,"status"?: Database["public"]['Enums']["attempt_status"],"submitted_at"?: string | null,"time_limit_seconds"?: number | null,"time_taken_seconds"?: number | null,"user_id": string,"xp_earned"?: number | null
                  }
                  Update: {
                    "auto_submitted"?: boolean,"correct_count"?: number | null,"domain_codes"?: (string)[] | null,"exam_id"?: string,"expires_at"?: string | null,"id"?: string,"mode"?: Database["public"]['Enums']["quiz_mode"],"question_count"?: number,"score_percentage"?: number | null,"started_at"?: string,"status"?: Database["public"]['Enums']["attempt_status"],"submitted_at"?: string | null,"time_limit_seconds"?: number | null,"time_taken_seconds"?: number | null,"user_id"?: string,"xp_earned"?: number | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "quiz_attempts_exam_id_fkey"
      columns: ["exam_id"]
isOneToOne: false
      referencedRelation: "exams"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "quiz_attempts_user_id_fkey"
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
                    "created_at": string,"description": string | null,"id": string,"kind": Database["public"]['Enums']["team_kind"],"name": string,"organization_id": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"description"?: string | null,"id"?: string,"kind"?: Database["public"]['Enums']["team_kind"],"name": string,"organization_id": string,"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"description"?: string | null,"id"?: string,"kind"?: Database["public"]['Enums']["team_kind"],"name"?: string,"organization_id"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
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
                },"xp_events": {
                  Row: {
                    "achievement_id": number | null,"amount": number,"attempt_id": string | null,"created_at": string,"id": number,"note": string | null,"source": Database["public"]['Enums']["xp_source"],"training_session_id": string | null,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "achievement_id"?: number | null,"amount": number,"attempt_id"?: string | null,"created_at"?: string,"id"?: never,"note"?: string | null,"source": Database["public"]['Enums']["xp_source"],"training_session_id"?: string | null,"user_id": string
                  }
                  Update: {
                    "achievement_id"?: number | null,"amount"?: number,"attempt_id"?: string | null,"created_at"?: string,"id"?: never,"note"?: string | null,"source"?: Database["public"]['Enums']["xp_source"],"training_session_id"?: string | null,"user_id"?: string
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
            "add_organization_member":
{ Args: { "p_email": string,"p_organization": string,"p_role"?: Database["public"]['Enums']["org_role"] }; Returns: {
              "joined_at": string,
"organization_id": string,
"role": Database["public"]['Enums']["org_role"],
"user_id": string
            }
                          SetofOptions: {
        from: "*"
        to: "organization_members"
        isOneToOne: true
        isSetofReturn: false
      } },
"admin_adjust_xp":
{ Args: { "p_amount": number,"p_note": string,"p_user": string }; Returns: Json
                           },
"complete_training_session":
{ Args: { "p_report": Json,"p_session": string }; Returns: Json
                           },
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
"custom_access_token_hook":
{ Args: { "event": Json }; Returns: Json
                           },
"equip_avatar":
{ Args: { "p_avatar_id": number }; Returns: Json
                           },
"get_accuracy_trend":
{ Args: { "p_exam"?: string,"p_user"?: string,"p_weeks"?: number }; Returns: {
              "accuracy": number,"correct_answers": number,"questions_answered": number,"quizzes": number,"week_start": string
            }[]
                           },
"get_active_quiz":
{ Args: { "p_exam"?: string }; Returns: Json
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
"get_leaderboard":
{ Args: { "p_board": Database["public"]['Enums']["leaderboard_board"],"p_exam"?: string,"p_limit"?: number,"p_offset"?: number,"p_organization"?: string,"p_period"?: Database["public"]['Enums']["leaderboard_period"] }; Returns: Json
                           },
"get_my_achievements":
{ Args: Record<PropertyKey, never>; Returns: {
              "badge_icon": string,"criteria_type": Database["public"]['Enums']["achievement_criteria"],"criteria_value": number,"description": string,"earned": boolean,"earned_at": string,"exam_id": string,"id": number,"is_hidden": boolean,"name": string,"progress": number,"progress_percent": number,"slug": string,"xp_reward": number
            }[]
                           },
"get_quiz_history":
{ Args: { "p_exam"?: string,"p_from"?: string,"p_limit"?: number,"p_mode"?: Database["public"]['Enums']["quiz_mode"],"p_offset"?: number,"p_to"?: string }; Returns: Json
                           },
"get_study_recommendations":
{ Args: { "p_exam": string,"p_user"?: string }; Returns: Json
                           },
"get_weak_areas":
{ Args: { "p_exam": string,"p_user"?: string }; Returns: {
              "accuracy": number,"answered": number,"domain_code": string,"domain_id": number,"domain_name": string,"priority": string,"weight": number
            }[]
                           },
"refresh_leaderboards":
{ Args: Record<PropertyKey, never>; Returns: Json
                           },
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
"search_training_sessions":
{ Args: { "p_limit"?: number,"p_query": string }; Returns: {
              "category": string,"difficulty": Database["public"]['Enums']["training_difficulty"],"headline": string,"organization_id": string,"overall_score": number,"rank": number,"session_id": string,"started_at": string,"status": Database["public"]['Enums']["training_session_status"],"user_id": string
            }[]
                           },
"start_quiz":
{ Args: { "p_count"?: number,"p_domains"?: (string)[],"p_exam": string,"p_mode"?: Database["public"]['Enums']["quiz_mode"],"p_time_limit_seconds"?: number }; Returns: Json
                           },
"submit_quiz":
{ Args: { "p_answers"?: Json,"p_attempt": string }; Returns: Json
                           },
"xp_for_level":
{ Args: { "p_level": number }; Returns: number
                           }
          }
          Enums: {
            "achievement_criteria": "quiz_completed"|"perfect_quiz"|"high_score_quiz"|"correct_answers"|"study_streak"|"level_reached"|"exam_specific","attempt_status": "in_progress"|"submitted"|"abandoned","avatar_rarity": "common"|"rare"|"epic"|"legendary","leaderboard_board": "xp"|"quiz_count"|"accuracy"|"streak"|"exam","leaderboard_period": "all_time"|"monthly"|"weekly","org_role": "owner"|"admin"|"instructor"|"learner","question_status": "draft"|"published"|"retired","quiz_mode": "practice"|"weak_areas"|"review","report_reason": "incorrect_answer"|"unclear"|"typo"|"outdated"|"other","report_status": "open"|"accepted"|"rejected"|"resolved","team_kind": "team"|"cohort","training_difficulty": "new-joining"|"basic"|"experienced"|"expert","training_message_role": "learner"|"customer","training_session_status": "active"|"completed"|"abandoned","xp_source": "quiz"|"accuracy_bonus"|"achievement"|"adjustment"|"training"
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
            "achievement_criteria": ["quiz_completed", "perfect_quiz", "high_score_quiz", "correct_answers", "study_streak", "level_reached", "exam_specific"],"attempt_status": ["in_progress", "submitted", "abandoned"],"avatar_rarity": ["common", "rare", "epic", "legendary"],"leaderboard_board": ["xp", "quiz_count", "accuracy", "streak", "exam"],"leaderboard_period": ["all_time", "monthly", "weekly"],"org_role": ["owner", "admin", "instructor", "learner"],"question_status": ["draft", "published", "retired"],"quiz_mode": ["practice", "weak_areas", "review"],"report_reason": ["incorrect_answer", "unclear", "typo", "outdated", "other"],"report_status": ["open", "accepted", "rejected", "resolved"],"team_kind": ["team", "cohort"],"training_difficulty": ["new-joining", "basic", "experienced", "expert"],"training_message_role": ["learner", "customer"],"training_session_status": ["active", "completed", "abandoned"],"xp_source": ["quiz", "accuracy_bonus", "achievement", "adjustment", "training"]
          }
        }
} as const
